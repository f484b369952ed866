#!/usr/bin/env node
import { PACKAGE_VERSION } from "../utils/package-json";
import { UsageError } from "./args";

const BIN = "pulumi-sinch-whatsapp";

/** A subcommand: its help, a one-line summary for the top-level help, and `run`, which returns the exit code. */
interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

// Adding a command is one line here; modules load only when used.
const COMMANDS: Record<string, () => Promise<Command>> = {
  emulator: () => import("./emulator-command"),
  list: () => import("./list-command"),
  generate: () => import("./generate-command"),
};

const commandOf = (name: string): (() => Promise<Command>) | undefined =>
  Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;

const unknownCommand = (name: string): string =>
  `${BIN}: unknown command '${name}'; commands: ${Object.keys(COMMANDS).join(", ")}, help\n`;

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code:
 * 0 success, 1 failure, 2 bad command line. Each command answers its own `--help`.
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(await help());
    return 2;
  }
  if (name === "--version" || name === "-V") {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  if (name === "help" || name === "--help" || name === "-h") return helpCommand(rest);
  const load = commandOf(name);
  if (load === undefined) {
    process.stderr.write(unknownCommand(name));
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (error) {
    process.stderr.write(`${BIN} ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

/** `help` (the list of commands) or `help <command>` (its options), on stdout. */
async function helpCommand([topic, ...extra]: string[]): Promise<number> {
  if (extra.length > 0) {
    process.stderr.write(`${BIN} help: give at most one command\n`);
    return 2;
  }
  if (topic === undefined) {
    process.stdout.write(await help());
    return 0;
  }
  const load = commandOf(topic);
  if (load === undefined) {
    process.stderr.write(unknownCommand(topic));
    return 2;
  }
  process.stdout.write((await load()).usage);
  return 0;
}

async function help(): Promise<string> {
  const lines = await Promise.all(
    Object.entries(COMMANDS).map(async ([name, load]) => `  ${name.padEnd(12)} ${(await load()).summary}`),
  );
  return [
    `Usage: ${BIN} <command> [options]`,
    "",
    "Commands:",
    ...lines,
    `  ${"help".padEnd(12)} this list, or 'help <command>' for a command's options`,
    "",
    `Run '${BIN} <command> --help' for a command's options; '${BIN} --version' prints the version.`,
    "",
  ].join("\n");
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
