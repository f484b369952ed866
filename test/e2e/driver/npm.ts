/**
 * npm step of the e2e engine driver: the npm versions users install with. npm 11 and npm 12 (which
 * blocks dependencies' install scripts unless `allowScripts` allows them) are each pinned in
 * `test/e2e/npm/<major>` (package.json and package-lock.json of the registry's `npm` package, as
 * test/e2e/range pins `node`) and installed with `npm ci` once per test run into the run directory,
 * from npm's cache when it holds them. A test puts `bin` first on a user's PATH, so `npm` there, and
 * every npm a script starts through `npm_execpath`, is that version, run by the `node` on the PATH.
 */
import { execFile } from "node:child_process";
import { copyFileSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { oncePerRun, REPO_ROOT, runDir } from "./install";

const run = promisify(execFile);

/** The npm majors the install tests run with. */
export const NPM_MAJORS = ["11", "12"] as const;
export type NpmMajor = (typeof NPM_MAJORS)[number];

export interface PinnedNpm {
  major: NpmMajor;
  /** The exact version installed. */
  version: string;
  /** The folder holding `npm` and `npx`: put it first on the PATH. */
  bin: string;
}

const pinned = new Map<NpmMajor, Promise<PinnedNpm>>();

/** npm `major` as pinned in test/e2e/npm/<major>, installed once per test run. */
export function pinnedNpm(major: NpmMajor): Promise<PinnedNpm> {
  let pending = pinned.get(major);
  if (!pending) {
    pending = oncePerRun(path.join(runDir(), `npm-${major}`), async (dir) => {
      const pin = path.join(REPO_ROOT, "test", "e2e", "npm", major);
      for (const file of ["package.json", "package-lock.json"]) {
        copyFileSync(path.join(pin, file), path.join(dir, file));
      }
      await run("npm", ["ci", "--prefix", dir, "--no-audit", "--no-fund"], { maxBuffer: 16 << 20 });
      const manifest = path.join(dir, "node_modules", "npm", "package.json");
      const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
      return { major, version, bin: path.join(dir, "node_modules", ".bin") };
    });
    pinned.set(major, pending);
  }
  return pending;
}

/**
 * Lines of npm's output a user must puzzle over: warnings (`npm warn`, install scripts blocked or
 * not covered by `allowScripts`, engine mismatches) and errors.
 */
export function npmComplaints(output: string): string[] {
  return output
    .split("\n")
    .filter((line) => /^npm (warn|error|ERR!)|\bWARN\b|blocked|allowScripts|EBADENGINE/i.test(line));
}
