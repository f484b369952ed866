#!/usr/bin/env node
// Runs `npm run build` only when a source is newer than dist/ (or dist/ is missing), so that
// `npm run emulator`, `npm run demo` and the tests do not delete a dist/ another process is
// running from. The tests' global setup (test/build-setup.ts) runs this too.
"use strict";
const { execFileSync } = require("node:child_process");
const { readdirSync, statSync } = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
// What the build reads besides src/.
const INPUTS = ["package.json", "tsconfig.json", "tsconfig.build.json"];

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

function builtAt() {
  try {
    return statSync(path.join(ROOT, "dist", "index.js")).mtimeMs;
  } catch {
    return 0; // not built yet
  }
}

const sources = Math.max(
  newest(path.join(ROOT, "src")),
  ...INPUTS.map((file) => statSync(path.join(ROOT, file)).mtimeMs),
);
if (sources > builtAt()) {
  execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build"], {
    cwd: ROOT,
    stdio: "inherit",
    shell: process.platform === "win32",
  });
}
