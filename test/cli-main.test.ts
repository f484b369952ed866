import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { FLAGS as EMULATOR_FLAGS } from "../src/cli/emulator-command";
import { FLAGS as GENERATE_FLAGS } from "../src/cli/generate-command";
import { FLAGS as LIST_FLAGS } from "../src/cli/list-command";
import { childOutput } from "./support/child-output";

// The tests run the built CLI, as users do; `npm test` builds first.
const ROOT = join(__dirname, "..");
const CLI = join(ROOT, "dist", "cli", "main.js");

function runCli(args: string[]) {
  return childOutput(spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? "" } }));
}

const COMMANDS = { list: LIST_FLAGS, generate: GENERATE_FLAGS, emulator: EMULATOR_FLAGS };

describe("cli: main", { timeout: 30_000 }, () => {
  it("prints the package's version with --version", async () => {
    const { version } = require("../package.json") as { version: string };
    expect(await runCli(["--version"])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("lists the commands with help, --help, and (on stderr, exit 2) with no command", async () => {
    const help = await runCli(["help"]);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toMatch(/^Usage: pulumi-sinch-whatsapp <command> \[options\]/);
    for (const name of [...Object.keys(COMMANDS), "help"]) expect(help.stdout).toMatch(`\n  ${name} `);
    expect(await runCli(["--help"])).toEqual(help);
    expect(await runCli([])).toMatchObject({ code: 2, stdout: "", stderr: help.stdout });
  });

  for (const [name, flags] of Object.entries(COMMANDS)) {
    it(`shows every flag of ${name} with '${name} --help' and 'help ${name}'`, async () => {
      const result = await runCli([name, "--help"]);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout).toMatch(`Usage: pulumi-sinch-whatsapp ${name}`);
      for (const flag of Object.keys(flags))
        expect(result.stdout).toMatch(new RegExp(`^ +(-\\w, )?--${flag}\\b`, "m"));
      expect(await runCli(["help", name])).toEqual(result);
    });
  }

  it("is a usage error (exit 2) to name an unknown command", async () => {
    const unknown = await runCli(["lsit"]);
    expect(unknown).toMatchObject({ code: 2, stdout: "" });
    expect(unknown.stderr).toBe(
      "pulumi-sinch-whatsapp: unknown command 'lsit'; commands: emulator, list, generate, help\n",
    );
    expect(await runCli(["help", "lsit"])).toEqual(unknown);
  });

  it("loads yaml only to read a stack file", async () => {
    // The CLI's modules, all loaded (as the top-level help does), then the modules of the package.
    const script = `require(${JSON.stringify(CLI)}).main(["help"]).then(() => {
      require(${JSON.stringify(join(ROOT, "dist", "index.js"))});
      const loaded = Object.keys(require.cache).filter((file) => /[\\\\/]node_modules[\\\\/]yaml[\\\\/]/.test(file));
      process.stderr.write(JSON.stringify(loaded));
    });`;
    const { stderr } = await promisify(execFile)(process.execPath, ["-e", script]);
    expect(stderr).toBe("[]");
  });
});
