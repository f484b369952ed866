import { availableParallelism } from "node:os";
import * as path from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// End-to-end tests (test/e2e) install packed tarballs, spawn `node` children and the Pulumi
// dynamic-provider host, so they get long timeouts and a global setup.
const e2e = {
  globalSetup: ["test/build-setup.ts", "test/e2e/global-setup.ts"],
  testTimeout: 120_000,
  hookTimeout: 600_000,
  teardownTimeout: 30_000,
};
/** The one program lifecycle `npm test` runs (the root project); the thorough runs are `e2e`. */
const LIFECYCLE = "test/e2e/root-project.test.ts";
/**
 * The files `test/e2e/range/run.sh` runs at both ends of the supported range (Node.js 22 with the
 * oldest @pulumi/pulumi, Node.js 26 with the newest), with the root project: every program users
 * get, through its whole lifecycle. They run at the two ends only, not a third time on Node.js 24 in
 * the `e2e` project: CI's time (docs/development.md, "How long they take").
 */
const RANGE = ["programs", "lookup", "plugin", "plugin-cancel", "plugin-readme"].map(
  (name) => `test/e2e/${name}.test.ts`,
);

/**
 * The slowest e2e files (docs/development.md, "How long they take"), slowest first. vitest starts
 * files in the order of their last durations; a clean clone (CI) has none recorded, and the fallback,
 * the largest file first, started `readme-install.test.ts`, the second slowest, near the end: one
 * worker ended about 40 s after the other.
 */
const SLOWEST = [
  "programs",
  "readme-install",
  "plugin-git",
  "media-provider",
  "driver",
  "readme-example-first",
  "reliability",
];

/** vitest's order, with each project's slowest files moved to its front, so that the workers end together. */
class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const at = SLOWEST.indexOf(path.basename(spec.moduleId, ".test.ts"));
      return at === -1 ? SLOWEST.length : at;
    };
    const sorted = await super.sort(files);
    const projects = [...new Set(sorted.map((spec) => spec.project.name))];
    // Array.prototype.sort is stable: files of equal rank keep vitest's order.
    return projects.flatMap((name) =>
      sorted.filter((spec) => spec.project.name === name).sort((a, b) => rank(a) - rank(b)),
    );
  }
}

// Four projects: `unit` and `lifecycle` are `npm test` (fast, run many times a day); `e2e` is the
// rest of test/e2e but `range`, which `npm run test:full` runs, then `lifecycle` and `range` at each
// end of the supported range.
export default defineConfig({
  test: {
    // vitest's default leaves a core idle (one worker on a 2-core machine); the test files spend much
    // of their time waiting on child processes and servers, so one worker per core.
    maxWorkers: availableParallelism(),
    sequence: { sequencer: SlowestFirst },
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**", "**/node_modules/**"],
          globalSetup: ["test/build-setup.ts"],
        },
      },
      { test: { name: "lifecycle", include: [LIFECYCLE], ...e2e } },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          exclude: ["**/node_modules/**", LIFECYCLE, ...RANGE],
          ...e2e,
        },
      },
      { test: { name: "range", include: RANGE, ...e2e } },
    ],
  },
});
