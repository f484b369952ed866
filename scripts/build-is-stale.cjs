"use strict";
// One rule for "dist/ must be rebuilt": a file under src/, package.json or a tsconfig is newer than
// dist/index.js (or dist/ is missing). Used by `prepare`, `npm run emulator`/`demo` and the tests.
const { readdirSync, statSync } = require("node:fs");
const path = require("node:path");

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** True when dist/ under `root` is older than its sources or missing. */
function isStale(root) {
  let built = 0;
  try {
    built = statSync(path.join(root, "dist", "index.js")).mtimeMs;
  } catch {
    return true;
  }
  const configs = ["package.json", "tsconfig.json", "tsconfig.build.json"].map(
    (f) => statSync(path.join(root, f)).mtimeMs,
  );
  return Math.max(newest(path.join(root, "src")), ...configs) > built;
}

module.exports = { isStale };
