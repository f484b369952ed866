/**
 * Install step of the e2e engine driver: make a Pulumi "program folder" the way a user would have one.
 *
 * A package directory is `npm pack`ed and the tarball unpacked into a fresh folder's `node_modules`,
 * exactly as npm lays a package out. Its dependencies (`@pulumi/pulumi`, undici, zod) come from a
 * hard-linked copy of the repository's `node_modules`, which `npm ci` filled from the lockfile:
 * resolving them again with `npm install` would need registry metadata that `npm ci` does not
 * cache, hence network access from a test. Each
 * install happens at most once per test run: the folder lives under the run directory made by
 * `test/e2e/global-setup.ts` (env `E2E_RUN_DIR`), and concurrent vitest workers share it through an
 * atomic `mkdir` plus a ready-marker file. `installFixture` needs nothing from `src/`;
 * `installPackage` packs the real package as built in `dist/` (the global setup builds it when stale).
 *
 * Folder names never contain a package name: @pulumi/pulumi 3.248's closure serializer finds a
 * package's package.json with `fullPath.indexOf(name)`, so a folder like `/tmp/x-counter-provider/`
 * above `node_modules/counter-provider` makes it give up on the `exports` map and write
 * `require("counter-provider/provider.js")`, which Node then refuses (ERR_PACKAGE_PATH_NOT_EXPORTED).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(__dirname, "../../..");
export const FIXTURES_DIR = path.join(REPO_ROOT, "test/e2e/fixtures");

export interface InstalledProgram {
  /** The program folder: run programs and the provider host with this as cwd. */
  dir: string;
  /** How the dependencies got there: hard links where the file system allows, else copies. */
  mode: "hardlinked" | "copied";
  timings: { packMs: number; installMs: number; totalMs: number };
}

const READY = ".e2e-ready.json";
const memo = new Map<string, Promise<InstalledProgram>>();

/** The per-run directory (created on first use when running outside vitest's global setup). */
export function runDir(): string {
  if (!process.env.E2E_RUN_DIR) process.env.E2E_RUN_DIR = mkdtempSync(path.join(tmpdir(), "e2e-run-"));
  return process.env.E2E_RUN_DIR;
}

/** Installs the `test/e2e/fixtures/<name>` package (no build step). */
export function installFixture(name: string): Promise<InstalledProgram> {
  return installProgram(`fixture-${name}`, [path.join(FIXTURES_DIR, name)]);
}

/** Installs this repository's package as built in `dist/`. */
export function installPackage(): Promise<InstalledProgram> {
  return installProgram("package", [REPO_ROOT]);
}

/** Installs the packed `packageDirs` plus `@pulumi/pulumi` into `<runDir>/<key>`, once per run. */
export function installProgram(key: string, packageDirs: string[]): Promise<InstalledProgram> {
  let pending = memo.get(key);
  if (!pending) {
    const folder = `program-${createHash("sha256").update(key).digest("hex").slice(0, 10)}`;
    pending = oncePerRun(path.join(runDir(), folder), (dir) => install(dir, packageDirs));
    memo.set(key, pending);
  }
  return pending;
}

/**
 * Makes `dir` with `make` once per test run, whichever worker asks first; the others wait for its
 * ready marker and get the same result (it must survive JSON).
 */
export async function oncePerRun<T>(dir: string, make: (dir: string) => Promise<T>): Promise<T> {
  const marker = path.join(dir, READY);
  try {
    mkdirSync(dir, { recursive: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return waitForMarker<T>(marker); // another worker is (or was) installing it
  }
  try {
    const result = await make(dir);
    writeFileSync(marker, JSON.stringify({ result }));
    return result;
  } catch (err) {
    writeFileSync(marker, JSON.stringify({ error: String((err as Error).message ?? err) }));
    throw err;
  }
}

async function waitForMarker<T>(marker: string): Promise<T> {
  for (const deadline = Date.now() + 10 * 60_000; Date.now() < deadline; ) {
    if (existsSync(marker)) {
      const { result, error } = JSON.parse(readFileSync(marker, "utf8"));
      if (error) throw new Error(`install failed in another worker: ${error}`);
      return result as T;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${marker}`);
}

/**
 * The dependencies programs get: this repository's `node_modules`, or `E2E_NODE_MODULES` (another
 * `@pulumi/pulumi` version, for the ends of the supported range; see .ci/run).
 */
export function nodeModulesSource(): string {
  return process.env.E2E_NODE_MODULES ?? path.join(REPO_ROOT, "node_modules");
}

/** The `node` that runs programs and provider hosts: this process's, or `E2E_NODE` (another Node version). */
export function nodeBinary(): string {
  return process.env.E2E_NODE ?? process.execPath;
}

/** Unpacks a package tarball into `<nodeModules>/<name>`, as npm lays it out. */
export async function unpackInto(nodeModules: string, tarball: string, name: string): Promise<void> {
  const target = path.join(nodeModules, name);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
}

async function install(dir: string, packageDirs: string[]): Promise<InstalledProgram> {
  const t1 = performance.now();
  const tarballs: { tarball: string; name: string }[] = [];
  for (const pkg of packageDirs) {
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: pkg });
    const [packed] = JSON.parse(stdout);
    tarballs.push({ tarball: path.join(dir, packed.filename), name: packed.name });
  }
  const t2 = performance.now();
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "e2e-program", version: "0.0.0", private: true }, null, 2),
  );
  const nodeModules = path.join(dir, "node_modules");
  let mode: InstalledProgram["mode"] = "hardlinked";
  try {
    await run("cp", ["-al", nodeModulesSource(), nodeModules]);
  } catch {
    mode = "copied";
    rmSync(nodeModules, { recursive: true, force: true });
    await run("cp", ["-r", nodeModulesSource(), nodeModules]);
  }
  for (const { tarball, name } of tarballs) await unpackInto(nodeModules, tarball, name);
  const t3 = performance.now();
  const ms = (a: number, b: number) => Math.round(b - a);
  return {
    dir,
    mode,
    timings: { packMs: ms(t1, t2), installMs: ms(t2, t3), totalMs: ms(t1, t3) },
  };
}
