import { type EmulatorFaults, type EmulatorOptions, startEmulator } from "../emulator";
import { emulatorOptionsSchema } from "../emulator/options";
import { type FlagValues, parseDecimal, parseFlags, parseInteger, UsageError } from "./args";

/** One line for the top-level help. */
export const summary = "run a local emulator of the Sinch WhatsApp media-provider API";

/** The command's help text. */
export const usage = `Usage: pulumi-sinch-whatsapp emulator --bot <botId>:<token> [--bot ...] [options]

Serves the media-provider API locally. Prints the base URL as the first line of
stdout, then serves until SIGINT or SIGTERM (then saves state and exits 0).

Options:
  --bot <botId>:<token>        a bot and its bearer token (repeatable, at least one)
  --port <n>                   port to listen on; 0 picks a free one (default 0)
  --host <address>             address to bind (default 127.0.0.1)
  --state <file.json>          load providers from this file; save every change to it
                               before answering it (locked: one emulator per file)
  --latency <ms>               delay added before each answer
  --rate-429 <share>           share of requests answered 429 (0..1)
  --rate-503 <share>           share of requests answered 503 (0..1)
  --drop-rate <share>          share of requests dropped without an answer (0..1)
  --drop-after-write-rate <share>
                               share of writes applied, then dropped unanswered (0..1)
  --lost-write-rate <share>    share of writes answered 200 but not applied (0..1)
  --retry-after <seconds>      Retry-After of 429/503 answers (default 0)
  --max-concurrent <n>         requests in flight per bot beyond n are answered 429
  --seed <n>                   seed of the fault PRNG (default 1)
  -h, --help                   show this help
`;

/** The command's flags. */
export const FLAGS = {
  bot: { type: "string", multiple: true },
  port: { type: "string" },
  host: { type: "string" },
  state: { type: "string" },
  latency: { type: "string" },
  "rate-429": { type: "string" },
  "rate-503": { type: "string" },
  "drop-rate": { type: "string" },
  "drop-after-write-rate": { type: "string" },
  "lost-write-rate": { type: "string" },
  "retry-after": { type: "string" },
  "max-concurrent": { type: "string" },
  seed: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Flags = FlagValues<typeof FLAGS>;

// Fault flags, the setting each one sets, and how its value is read.
const FAULT_FLAGS = [
  ["latency", "latencyMs", parseDecimal],
  ["rate-429", "rate429", parseDecimal],
  ["rate-503", "rate503", parseDecimal],
  ["drop-rate", "dropRate", parseDecimal],
  ["drop-after-write-rate", "dropAfterWriteRate", parseDecimal],
  ["lost-write-rate", "lostWriteRate", parseDecimal],
  ["retry-after", "retryAfterSeconds", parseDecimal],
  ["max-concurrent", "maxConcurrentPerBot", parseInteger],
  ["seed", "seed", parseInteger],
] as const satisfies ReadonlyArray<readonly [keyof Flags, keyof EmulatorFaults, unknown]>;

// Option paths back to flags, so a broken rule names the flag the user typed.
const FLAG_OF_PATH: Record<string, string> = {
  port: "--port",
  host: "--host",
  bots: "--bot",
  statePath: "--state",
  faults: "fault rates",
  ...Object.fromEntries(FAULT_FLAGS.map(([flag, key]) => [`faults.${key}`, `--${flag}`])),
};

/** Runs the emulator until SIGINT/SIGTERM; returns the exit code. Throws `UsageError` on bad flags. */
export async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(usage);
    return 0;
  }
  const emulator = await startEmulator(toOptions(flags));
  process.stdout.write(`${emulator.url}\n`);
  await nextSignal();
  await emulator.close();
  return 0;
}

function toOptions(flags: Flags): EmulatorOptions {
  const faults: EmulatorFaults = {};
  for (const [flag, key, parse] of FAULT_FLAGS) {
    const value = flags[flag];
    if (value !== undefined) faults[key] = parse(flag, value);
  }
  const options: EmulatorOptions = {
    bots: parseBots(flags.bot ?? []),
    port: flags.port === undefined ? 0 : parseInteger("port", flags.port),
    host: flags.host,
    statePath: flags.state,
    faults,
  };
  // The library's rules, reported against the flags rather than the option names.
  const result = emulatorOptionsSchema.safeParse(options);
  const issue = result.error?.issues[0];
  if (issue !== undefined) {
    const path = issue.path.map(String);
    const flag = FLAG_OF_PATH[path.join(".")] ?? FLAG_OF_PATH[path[0] ?? ""] ?? path.join(".");
    throw new UsageError(`${flag}: ${issue.message}`);
  }
  return options;
}

// Error messages never quote a --bot value: it holds the token. A Map, then fromEntries, so that
// bot ids such as `__proto__` become keys rather than prototypes.
function parseBots(values: string[]): Record<string, string> {
  if (values.length === 0) throw new UsageError("at least one --bot <botId>:<token> is required");
  const bots = new Map<string, string>();
  for (const value of values) {
    const colon = value.indexOf(":");
    if (colon <= 0 || colon === value.length - 1) throw new UsageError("--bot must be <botId>:<token>");
    const botId = value.slice(0, colon);
    if (bots.has(botId)) throw new UsageError(`--bot: bot id "${botId}" is given twice`);
    bots.set(botId, value.slice(colon + 1));
  }
  return Object.fromEntries(bots);
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
