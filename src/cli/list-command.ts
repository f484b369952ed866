import { authTypeOf, type MediaProviderConfig, type MediaProviderEntry } from "../types/media-provider";
import { parseFlags } from "./args";
import { CREDENTIAL_FLAGS, CREDENTIAL_USAGE, resolveClientOptions } from "./credentials";
import { fetchProviders, REQUEST_FLAGS, REQUEST_USAGE, requestLimits } from "./fetch-providers";

/** What stands in for a password or bearer token. */
const MASK = "********";

/** One line for the top-level help. */
export const summary = "list the media providers of a bot (secrets masked)";

/** The command's help text. */
export const usage = `Usage: pulumi-sinch-whatsapp list [options]

Prints the media providers of a bot as a table: name, type, auth type, username
and secret (password or bearer token), the secret masked unless --show-secrets.

${CREDENTIAL_USAGE}
${REQUEST_USAGE}
Output:
  --json                       print a JSON array of {name, type, authType, config} instead
  --show-secrets               print passwords and bearer tokens instead of ${MASK}
  -h, --help                   show this help
`;

/** The command's flags. */
export const FLAGS = {
  ...CREDENTIAL_FLAGS,
  ...REQUEST_FLAGS,
  json: { type: "boolean" },
  "show-secrets": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Lists the providers; returns the exit code. Throws `UsageError` on bad flags. */
export async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(usage);
    return 0;
  }
  const limits = requestLimits(flags);
  const options = resolveClientOptions(flags);
  const providers = await fetchProviders(options, limits);
  const shown = flags["show-secrets"] ? providers : providers.map(masked);
  if (flags.json) {
    const rows = shown.map(({ name, type, config }) => ({
      name,
      type,
      authType: authTypeOf(config),
      config,
    }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else if (shown.length === 0) {
    process.stdout.write(`Bot ${options.botId} has no media providers.\n`);
  } else {
    process.stdout.write(table(shown));
  }
  return 0;
}

function masked(entry: MediaProviderEntry): MediaProviderEntry {
  const config: MediaProviderConfig =
    "basic" in entry.config ? { basic: { ...entry.config.basic, password: MASK } } : { bearer: MASK };
  return { ...entry, config };
}

function table(providers: MediaProviderEntry[]): string {
  const rows = [
    ["NAME", "TYPE", "AUTH", "USERNAME", "SECRET"],
    ...providers.map(({ name, type, config }) =>
      "basic" in config
        ? [name, type, "basic", config.basic.username, config.basic.password]
        : [name, type, "bearer", "-", config.bearer],
    ),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join("  ")
          .trimEnd()}\n`,
    )
    .join("");
}
