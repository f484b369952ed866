/**
 * vitest global setup for the e2e tests: one run directory per test run, shared by all workers
 * (env `E2E_RUN_DIR`, also provided as `inject("e2eRunDir")`). Installs into it happen lazily, once
 * per run (see driver/install.ts); `test/build-setup.ts` has made `dist/` current before.
 * Set `E2E_KEEP=1` to keep the directory after the run.
 *
 * The directory ends up holding gigabytes (real `npm ci`s in fresh clones), and deleting it took
 * tens of seconds, most of them waiting on the disk: the run renames it to `e2e-trash-*` and leaves
 * the deletion to a detached process, so the next step of CI starts at once. A later run's setup
 * deletes any trash an interrupted deletion left behind.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    e2eRunDir: string;
  }
}

const TRASH = "e2e-trash-";
/** Trash older than this has lost its deleting process (a run side by side may be deleting younger trash). */
const STALE_TRASH_MS = 60 * 60_000;

/**
 * Deletes `dirs` in a process of its own (this `node`, so nothing can be missing) that outlives this
 * one, at the lowest CPU priority: the tests running meanwhile come first.
 */
function deleteDetached(dirs: string[]): void {
  if (dirs.length === 0) return;
  const script =
    "require('node:os').setPriority(19); for (const dir of process.argv.slice(1)) require('node:fs').rmSync(dir, { recursive: true, force: true })";
  spawn(process.execPath, ["-e", script, ...dirs], { detached: true, stdio: "ignore" }).unref();
}

function staleTrash(): string[] {
  const now = Date.now();
  return readdirSync(tmpdir())
    .filter((name) => name.startsWith(TRASH))
    .map((name) => path.join(tmpdir(), name))
    .filter((dir) => {
      try {
        return now - statSync(dir).mtimeMs > STALE_TRASH_MS;
      } catch {
        return false; // deleted meanwhile
      }
    });
}

export default function setup(project: TestProject): () => void {
  deleteDetached(staleTrash());
  const dir = mkdtempSync(path.join(tmpdir(), "e2e-run-"));
  process.env.E2E_RUN_DIR = dir;
  project.provide("e2eRunDir", dir);
  return () => {
    if (process.env.E2E_KEEP) return;
    const trash = path.join(tmpdir(), path.basename(dir).replace(/^e2e-run-/, TRASH));
    renameSync(dir, trash);
    deleteDetached([trash]);
  };
}
