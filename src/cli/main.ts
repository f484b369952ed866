#!/usr/bin/env node
import { UsageError } from "./args";

const BIN = "pulumi-sinch-whatsapp";

/** A subcommand: a one-line summary for the top-level help, and `run`, which returns the exit code. */
interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

// Adding a command is one line here; modules load only when used.
const COMMANDS: Record<string, () => Promise<Command>> = {
  emulator: () => import("./emulator-command"),
  list: () => import("./list-command"),
  generate: () => import("./generate-command"),
};

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code:
 * 0 success, 1 failure, 2 bad command line. Each command answers its own `--help`.
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    (name === undefined ? process.stderr : process.stdout).write(await help());
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    process.stderr.write(
      `${BIN}: unknown command '${name}'; commands: ${Object.keys(COMMANDS).join(", ")}\n`,
    );
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (error) {
    process.stderr.write(`${BIN} ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

async function help(): Promise<string> {
  const lines = await Promise.all(
    Object.entries(COMMANDS).map(async ([name, load]) => `  ${name.padEnd(12)} ${(await load()).summary}`),
  );
  return `Usage: ${BIN} <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun '${BIN} <command> --help' for a command's options.\n`;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
