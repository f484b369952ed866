/**
 * vitest global setup shared by both projects: tests that run `dist/` (the CLI, the demo, the
 * packed package) need it current. `npm test` has just built it; a test run started alone builds
 * it here when a source is newer, once, before any test starts (so no test sees `dist/` half-written).
 * The check is the one `npm run emulator` and `npm run demo` use: scripts/build-if-stale.cjs.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

export default function setup(): void {
  execFileSync(process.execPath, [path.join(__dirname, "..", "scripts", "build-if-stale.cjs")], {
    stdio: "inherit",
  });
}
