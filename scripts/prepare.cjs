#!/usr/bin/env node
"use strict";
// npm runs `prepare` after `npm install` / `npm ci` in this checkout, before `npm pack` and
// `npm publish`, and when a project installs this package from git or from a folder (an example's
// `file:../..` dependency, with `install-links`). So:
//   1. dist/ is built whenever a source is newer than it: a git install or a packed tarball always
//      ships a current dist/. The build needs this checkout's devDependencies; when they are missing
//      (an example installed from a fresh clone, or the plugin folder's `npm install` in a clone, as
//      the Pulumi CLI runs it: see plugin/prepare.cjs), they are installed first, by the npm running
//      this script.
//   2. After an install in this checkout itself, the root project's program (Pulumi.yaml's `main`,
//      examples/basic) can load this package: a copy of what `npm pack` ships goes into
//      examples/node_modules, where Node looks after the program folder's own node_modules. It is a
//      real copy, not a link into the repository, which Pulumi's closure serializer would inline.
//      So `pulumi up` at the root deploys the program with no step of its own. Not into
//      examples/basic/node_modules: that folder is npm's, for `npm install` in examples/basic, and
//      npm takes a package it did not record there for a registry package (E404 on the next install).
const { execFileSync } = require("node:child_process");
const { cpSync, existsSync, mkdirSync, rmSync } = require("node:fs");
const path = require("node:path");
const { isStale } = require("./build-is-stale.cjs");

const ROOT = path.resolve(__dirname, "..");
const ROOT_PROGRAM = path.join(ROOT, "examples", "basic");
/** Above the root program's folder, so that no npm project owns it. */
const PACKAGE_DIR = path.join(ROOT, "examples", "node_modules");
/**
 * The npm that runs this script (npm sets `npm_execpath` for scripts), not whichever `npm` comes
 * first on the PATH: the install a user started with npm 12 stays on npm 12. `npm` from the PATH
 * when the script runs outside npm.
 */
const npmCli = /npm-cli\.c?js$/.test(process.env.npm_execpath ?? "") ? process.env.npm_execpath : undefined;
const npm = (args) =>
  execFileSync(npmCli ? process.execPath : "npm", npmCli ? [npmCli, ...args] : args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });

function build() {
  if (!isStale(ROOT)) return;
  if (!existsSync(path.join(ROOT, "node_modules", "typescript"))) {
    // What the build needs, at the lockfile's versions; no optional packages (the platform binaries
    // of the linter and the test runner: 125 of 285 MB).
    npm(["ci", "--ignore-scripts", "--omit=optional", "--no-audit", "--no-fund"]);
  }
  execFileSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc", { paths: [ROOT] }), "-p", "tsconfig.build.json"],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
}

/** Copies what `npm pack` would ship into `<nodeModules>/<name>`. */
function installInto(nodeModules) {
  // npm 11 prints a list of packed packages, npm 12 an object keyed by name.
  const [packed] = Object.values(JSON.parse(npm(["pack", "--dry-run", "--json", "--ignore-scripts"])));
  const target = path.join(nodeModules, packed.name);
  rmSync(target, { recursive: true, force: true });
  for (const { path: file } of packed.files) {
    mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    cpSync(path.join(ROOT, file), path.join(target, file));
  }
}

build();
const installedHere =
  ["install", "ci"].includes(process.env.npm_command ?? "") &&
  path.resolve(process.env.INIT_CWD ?? "") === ROOT;
if (installedHere && existsSync(ROOT_PROGRAM)) installInto(PACKAGE_DIR);
