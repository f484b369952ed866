import { createHash } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import type { ClientOptions } from "../client/media-provider-client";
import type { MediaProviderEntry } from "../types/media-provider";
import { providerNameSchema } from "../types/media-provider-schema";
import { errnoOrMessage } from "../utils/error-text";
import { parseFlags, UsageError } from "./args";
import { CREDENTIAL_FLAGS, CREDENTIAL_USAGE, resolveClientOptions } from "./credentials";
import { fetchProviders, REQUEST_FLAGS, REQUEST_USAGE, requestLimits } from "./fetch-providers";

/** One line for the top-level help. */
export const summary = "write a Pulumi program that adopts the existing media providers of a bot";

/** The command's help text. */
export const usage = `Usage: pulumi-sinch-whatsapp generate [options]

Writes a TypeScript Pulumi program with one MediaProvider per provider the bot has
now, each with its existing name and adoptExisting: true, so that 'pulumi up' takes
them over (Pulumi's 'import' does not work for dynamic resources). Usernames are
written inline; each password or bearer token is read with cfg.requireSecret().

Also prints the 'pulumi config set --secret' commands that store the current
secrets in the stack config: to stdout when the program goes to --out, else to
stderr. They hold the secrets in clear: run them, do not keep them.

${CREDENTIAL_USAGE}
${REQUEST_USAGE}
Output:
  --out <file.ts>              write the program to this file instead of stdout
  --force                      overwrite the --out file if it exists
  --config-prefix <prefix>     start every secret's config key with this, e.g. media
                               gives mediaBucketPassword for a provider named bucket
  -h, --help                   show this help
`;

/** The command's flags. */
export const FLAGS = {
  ...CREDENTIAL_FLAGS,
  ...REQUEST_FLAGS,
  out: { type: "string" },
  force: { type: "boolean" },
  "config-prefix": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

// Words a generated variable must not be: JavaScript's reserved words, the names TypeScript
// reserves at the top of a CommonJS module, and the program's own identifiers.
const RESERVED = new Set(
  [
    "arguments await break case catch class const continue debugger default delete do else enum eval",
    "export extends false finally for function if implements import in instanceof interface let new",
    "null package private protected public return static super switch this throw true try typeof",
    "undefined var void while with yield require exports module __dirname __filename",
    "pulumi cfg MediaProvider providerNames",
  ]
    .join(" ")
    .split(" "),
);

/** One provider as the program declares it. */
interface Planned {
  entry: MediaProviderEntry;
  /** The variable and the Pulumi resource name. */
  variable: string;
  /** The stack config key of its password or bearer token. */
  secretKey: string;
  /** The current password or bearer token. */
  secret: string;
}

/** Writes the program and prints the config commands; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(usage);
    return 0;
  }
  const prefix = flags["config-prefix"] ?? "";
  if (prefix !== "" && !/^[A-Za-z][A-Za-z0-9_]*$/.test(prefix)) {
    throw new UsageError("--config-prefix must be a letter followed by letters, digits or '_'");
  }
  // Before asking the API: the answer does not change it.
  if (flags.out !== undefined && !flags.force && existsSync(flags.out)) {
    throw outExists(flags.out);
  }
  const limits = requestLimits(flags);
  const options = resolveClientOptions(flags);
  const providers = await fetchProviders(options, limits);
  if (providers.length === 0) {
    process.stderr.write(`Bot ${options.botId} has no media providers: nothing to generate.\n`);
    return 0;
  }
  const planned = plan(providers, prefix);
  const source = program(options.botId, planned);
  const commands = configCommands(options, planned);
  if (flags.out === undefined) {
    process.stdout.write(source);
    process.stderr.write(commands);
    return 0;
  }
  writeProgram(flags.out, source, flags.force === true);
  process.stderr.write(`Wrote ${flags.out}: ${planned.length} media provider(s).\n`);
  process.stdout.write(commands);
  return 0;
}

const outExists = (file: string): UsageError =>
  new UsageError(`--out ${file} exists already; give --force to overwrite it`);

/** Writes the file; `wx` unless forced, so that a file created meanwhile is not overwritten either. */
function writeProgram(file: string, source: string, force: boolean): void {
  try {
    writeFileSync(file, source, { flag: force ? "w" : "wx" });
  } catch (error) {
    const reason = errnoOrMessage(error);
    if (reason === "EEXIST") throw outExists(file);
    throw new Error(`cannot write ${file}: ${reason}`);
  }
}

const upperFirst = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** A camelCase identifier from the letters and digits of a provider name. */
function baseIdentifier(name: string): string {
  const [first, ...rest] = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (first === undefined) return "provider";
  const head =
    first === first.toUpperCase() ? first.toLowerCase() : first.charAt(0).toLowerCase() + first.slice(1);
  const identifier = head + rest.map(upperFirst).join("");
  return /^[0-9]/.test(identifier) || RESERVED.has(identifier)
    ? `provider${upperFirst(identifier)}`
    : identifier;
}

/**
 * Variables and config keys for the providers. Names that give the same identifier (`a-b` and
 * `a_b`) each get a suffix from a hash of the exact name, so that a provider's identifiers do
 * not depend on the order the API lists them in.
 */
function plan(providers: MediaProviderEntry[], prefix: string): Planned[] {
  const bases = providers.map(({ name }) => baseIdentifier(name));
  // Counted once: a count per provider took minutes for tens of thousands of them.
  const uses = new Map<string, number>();
  for (const base of bases) uses.set(base, (uses.get(base) ?? 0) + 1);
  return providers.map((entry, index) => {
    const base = bases[index] ?? "provider";
    const shared = (uses.get(base) ?? 0) > 1;
    const variable = shared
      ? `${base}_${createHash("sha256").update(entry.name).digest("hex").slice(0, 6)}`
      : base;
    const role = "basic" in entry.config ? "Password" : "Token";
    return {
      entry,
      variable,
      secretKey: prefix === "" ? `${variable}${role}` : `${prefix}${upperFirst(variable)}${role}`,
      secret: "basic" in entry.config ? entry.config.basic.password : entry.config.bearer,
    };
  });
}

/** A TypeScript string literal; JSON's, with the two line separators JSON leaves raw escaped. */
function literal(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function program(botId: string, planned: Planned[]): string {
  const lines = [
    `// Generated by 'pulumi-sinch-whatsapp generate' from the media providers of bot ${literal(botId)}.`,
    "// Each resource adopts the provider of the same name. Its secret comes from the stack config:",
    "// store it with the 'pulumi config set --secret' commands printed with this program.",
    'import * as pulumi from "@pulumi/pulumi";',
    'import { MediaProvider } from "pulumi-sinch-whatsapp";',
    "",
    "const cfg = new pulumi.Config();",
  ];
  for (const { entry, variable, secretKey } of planned) {
    const secret = `cfg.requireSecret(${literal(secretKey)})`;
    lines.push("");
    if (!providerNameSchema.safeParse(entry.name).success) {
      lines.push(
        `// ${literal(entry.name)} predates the 2020-03-10 name rule (A-Z, a-z, - and _, at most 200 characters).`,
      );
    }
    lines.push(
      `const ${variable} = new MediaProvider(${literal(variable)}, {`,
      `  name: ${literal(entry.name)},`,
      "  adoptExisting: true,",
      ...("basic" in entry.config
        ? [
            "  config: {",
            "    basic: {",
            `      username: ${literal(entry.config.basic.username)},`,
            `      password: ${secret},`,
            "    },",
            "  },",
          ]
        : [`  config: { bearer: ${secret} },`]),
      "});",
    );
  }
  lines.push(
    "",
    "/** The names to put in the `provider` field of media messages. */",
    "export const providerNames = {",
    ...planned.map(({ variable }) => `  ${variable}: ${variable}.name,`),
    "};",
    "",
  );
  return lines.join("\n");
}

/** A word for a POSIX shell: single-quoted, each `'` closed, escaped and reopened. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `pulumi config set` for a key (of safe characters) and a value; `--` keeps a value starting with `-` from reading as a flag. */
function configSet(key: string, value: string, secret: boolean): string {
  const flag = secret ? "--secret " : "";
  return `pulumi config set ${flag}${key} ${value.startsWith("-") ? "-- " : ""}${shellQuote(value)}\n`;
}

function configCommands(options: ClientOptions, planned: Planned[]): string {
  const endpoint = options.baseUrl
    ? configSet("whatsapp:baseUrl", options.baseUrl, false)
    : configSet("whatsapp:region", options.region ?? "", false);
  return [
    "# The current secrets of the providers, for the stack config (run in the project's folder):\n",
    ...planned.map(({ secretKey, secret }) => configSet(secretKey, secret, true)),
    "# The bot and its endpoint, if the stack does not have them yet:\n",
    configSet("whatsapp:botId", options.botId, false),
    endpoint,
    "# and its API token: pulumi config set --secret whatsapp:apiToken <token>\n",
  ].join("");
}
