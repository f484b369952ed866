/**
 * vitest global setup for the e2e tests: one run directory per test run, shared by all workers
 * (env `E2E_RUN_DIR`, also provided as `inject("e2eRunDir")`). Installs into it happen lazily, once
 * per run (see driver/install.ts); `test/build-setup.ts` has made `dist/` current before.
 * Set `E2E_KEEP=1` to keep the directory after the run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    e2eRunDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), "e2e-run-"));
  process.env.E2E_RUN_DIR = dir;
  project.provide("e2eRunDir", dir);
  return () => {
    if (!process.env.E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  };
}
