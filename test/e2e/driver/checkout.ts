/**
 * Checkout step of the e2e engine driver: this repository as a user has it after `git clone`, with
 * the installs the README asks for, laid out offline.
 *
 * The files git tracks (and new ones it does not ignore) are copied, timestamps kept, into
 * `<run dir>/pulumi-sinch-whatsapp/`: named as a clone is, so the closure serializer's lookup of the
 * package by name in the path (see install.ts) is exercised too. What `npm ci` at the root lays down
 * comes from a hard-linked copy of the dependencies (`E2E_NODE_MODULES`, default this repository's
 * `node_modules`) and the built `dist/`; then the root's real `prepare` script runs as npm runs it
 * after an install. `installExample` lays an example's `node_modules` as `npm install` in that folder
 * does (its `.npmrc` says install-links): the dependencies, and the checkout packed and unpacked.
 * test/e2e/readme.test.ts runs the real npm commands in a fresh clone instead (driver/registry.ts).
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { nodeModulesSource, REPO_ROOT, runDir, unpackInto } from "./install";

const run = promisify(execFile);
let checkout: Promise<string> | undefined;

/**
 * The user's checkout (made once per test file, in a folder of its own: test files running side by
 * side edit its programs); the root project is ready to run.
 */
export function userCheckout(): Promise<string> {
  checkout ??= makeCheckout(
    path.join(mkdtempSync(path.join(runDir(), "checkout-")), "pulumi-sinch-whatsapp"),
  );
  return checkout;
}

async function makeCheckout(dir: string): Promise<string> {
  await cleanClone(dir);
  await run("cp", ["-al", path.join(REPO_ROOT, "dist"), path.join(dir, "dist")]);
  await run(process.execPath, [path.join(dir, "scripts", "prepare.cjs")], {
    cwd: dir,
    env: { ...process.env, npm_command: "ci", INIT_CWD: dir },
  });
  return dir;
}

/** The repository's files as `git clone` gives them, and its dependencies as `npm ci --ignore-scripts` lays them. */
export async function cleanClone(dir: string): Promise<string> {
  await copyWorkingTree(dir);
  await run("cp", ["-al", nodeModulesSource(), path.join(dir, "node_modules")]);
  return dir;
}

/** The repository's files as `git clone` gives them (this working tree's, changes included), nothing installed. */
export async function copyWorkingTree(dir: string): Promise<string> {
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO_ROOT,
    maxBuffer: 64 << 20,
  });
  for (const file of stdout.split("\0").filter((f) => f && existsSync(path.join(REPO_ROOT, f)))) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(REPO_ROOT, file), path.join(dir, file), { preserveTimestamps: true });
  }
  return dir;
}

const examples = new Map<string, Promise<string>>();
let packed: Promise<string> | undefined;

/** The checkout `npm pack`ed, once per test file (the examples' installs share it); the tarball's path. */
function packedCheckout(root: string): Promise<string> {
  packed ??= run("npm", ["pack", "--json", "--pack-destination", runDir()], { cwd: root }).then(
    ({ stdout }) => path.join(runDir(), JSON.parse(stdout)[0].filename),
  );
  return packed;
}

/** `npm install` in `examples/<name>` of the checkout, offline; returns the example's folder. */
export function installExample(name: string): Promise<string> {
  let pending = examples.get(name);
  if (!pending) {
    pending = userCheckout().then(async (root) => {
      const dir = path.join(root, "examples", name);
      const modules = path.join(dir, "node_modules");
      rmSync(modules, { recursive: true, force: true });
      await run("cp", ["-al", nodeModulesSource(), modules]);
      await unpackInto(modules, await packedCheckout(root), "pulumi-sinch-whatsapp");
      return dir;
    });
    examples.set(name, pending);
  }
  return pending;
}
