#!/usr/bin/env node
/**
 * `npm run demo`: deploys `examples/basic` with the Pulumi CLI against a local emulator, sends an
 * image through the deployed provider, refreshes and destroys. Exit codes: 0 done, 1 the demo
 * failed, 2 no Pulumi CLI (with how to install it) or a bad command line, 130 interrupted.
 */
import { existsSync } from "node:fs";
import { type FlagValues, parseFlags, parseInteger, UsageError } from "../cli/args";
import { firstLine } from "../utils/error-text";
import { installInstructions, locatePulumi, PROBE_ENV } from "./pulumi-cli";
import { type DemoIO, type DemoOptions, pulumiCommandFor, runDemo } from "./run";

export const USAGE = `Usage: npm run demo [-- options]
       node dist/demo/main.js [options]      (after npm run build)

Deploys examples/basic with the Pulumi CLI (Automation API, local file backend, no Pulumi
account) against an emulator started in this process: pulumi up, one image message sent
through the deployed Basic provider, pulumi refresh, pulumi destroy.

Options:
  --keep            stop before destroy: leave the stack, its backend folder and the
                    emulator state, and print how to explore them
  --state <file>    the emulator's state file (default: in the demo's temporary folder);
                    it must not exist yet
  --port <n>        the emulator's port (default: a free one)
  -h, --help        show this help

Without a pulumi on PATH, the demo installs the CLI into ~/.pulumi/versions/<version>
(or $DEMO_PULUMI_ROOT) if get.pulumi.com answers within 3 s ($${PROBE_ENV} overrides
the URL probed), else it says how to install it and exits with code 2.
`;

const FLAGS = {
  keep: { type: "boolean" },
  state: { type: "string" },
  port: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Parses the flags; a string is a usage error to print. */
export function parseOptions(argv: string[]): DemoOptions | { help: true } | string {
  try {
    return toOptions(parseFlags(argv, FLAGS));
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
}

function toOptions(values: FlagValues<typeof FLAGS>): DemoOptions | { help: true } {
  if (values.help) return { help: true };
  const port = values.port === undefined ? undefined : parseInteger("port", values.port);
  if (port !== undefined && (port < 0 || port > 65535)) {
    throw new UsageError("--port must be a whole number from 0 to 65535");
  }
  if (values.state !== undefined && existsSync(values.state)) {
    throw new UsageError(
      `--state ${values.state} exists already; give a new file (the demo creates its providers from scratch)`,
    );
  }
  return { keep: values.keep ?? false, statePath: values.state, port };
}

/** Runs the demo on `argv`; returns the exit code. */
export async function main(argv: string[], io: DemoIO): Promise<number> {
  const options = parseOptions(argv);
  if (typeof options === "string") {
    io.err(`demo: ${options}\n\n${USAGE}`);
    return 2;
  }
  if ("help" in options) {
    io.out(USAGE);
    return 0;
  }
  // Before anything slow: without a CLI the answer must come in seconds.
  const location = await locatePulumi();
  if (location.kind === "missing") {
    io.err(
      installInstructions(
        `No \`pulumi\` is on PATH, and it cannot be installed automatically now: ${location.probeUrl} did not answer (${location.reason}).`,
      ),
    );
    return 2;
  }
  let pulumi: Awaited<ReturnType<typeof pulumiCommandFor>>;
  try {
    pulumi = await pulumiCommandFor(location, io);
  } catch (error) {
    const reason = firstLine(error);
    const where = location.kind === "path" ? location.command : location.root;
    io.err(installInstructions(`The Pulumi CLI at ${where} cannot be used: ${reason}`));
    return 2;
  }
  return runDemo(pulumi, options, io);
}

if (require.main === module) {
  const io: DemoIO = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  main(process.argv.slice(2), io).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`demo: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
