#!/usr/bin/env node
// Runs `npm run build` only when dist/ is stale (./build-is-stale.cjs has the rule), so that
// `npm run emulator`, `npm run demo` and the tests (test/build-setup.ts) do not delete a dist/
// that another process is running from.
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");
const { isStale } = require("./build-is-stale.cjs");

const ROOT = path.resolve(__dirname, "..");

if (isStale(ROOT)) {
  const windows = process.platform === "win32";
  execFileSync(windows ? "npm.cmd" : "npm", ["run", "build"], {
    cwd: ROOT,
    stdio: "inherit",
    shell: windows,
  });
}
