/**
 * vitest global setup shared by both projects: tests that run `dist/` (the CLI, the demo, the
 * packed package) need it current. `npm test` has just built it; a test run started alone builds
 * it here when a source is newer, once, before any test starts (so no test sees `dist/` half-written).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

export default function setup(): void {
  let built = 0;
  try {
    built = statSync(path.join(ROOT, "dist/index.js")).mtimeMs;
  } catch {
    // not built yet
  }
  const sources = Math.max(newest(path.join(ROOT, "src")), statSync(path.join(ROOT, "package.json")).mtimeMs);
  if (sources > built) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
}
