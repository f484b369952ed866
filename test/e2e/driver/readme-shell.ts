/**
 * README step of the e2e engine driver: a README section's code blocks, and its shell blocks run as
 * written, in bash, up to where other tools take over: `npm` and `pulumi` are stand-ins
 * (`standins/`), the first an offline `npm install <tarball>` that lays the folder out as npm does,
 * the second a log of the call. Every stand-in call is returned with its working directory.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { nodeModulesSource } from "./install";

const run = promisify(execFile);
const STANDINS = path.join(__dirname, "standins");

/** A call of a stand-in: which tool, in which folder, with which arguments. */
export interface StandinCall {
  tool: string;
  cwd: string;
  args: string[];
}

/**
 * Runs each shell block in its own `bash -euo pipefail`, in `cwd`, with `HOME` set to `home` and the
 * stand-ins first on the PATH; the dependencies `npm install` lays out are `E2E_NODE_MODULES`'s.
 */
export async function runShellBlocks(
  blocks: readonly string[],
  opts: { home: string; cwd: string },
): Promise<StandinCall[]> {
  const log = path.join(opts.home, ".standin-calls.tsv");
  writeFileSync(log, "");
  const env = {
    ...process.env,
    HOME: opts.home,
    PATH: `${STANDINS}${path.delimiter}${process.env.PATH ?? ""}`,
    STANDIN_LOG: log,
    STANDIN_NODE_MODULES: nodeModulesSource(),
  };
  for (const block of blocks) {
    await run("bash", ["-euo", "pipefail", "-c", block], { cwd: opts.cwd, env });
  }
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [tool = "", cwd = "", ...args] = line.split("\t");
      return { tool, cwd, args };
    });
}
