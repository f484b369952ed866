import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

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

// Three projects: `unit` and `lifecycle` are `npm test` (fast, run many times a day); `e2e` is the
// rest of test/e2e, which `npm run test:full` runs with the ends of the supported range.
export default defineConfig({
  test: {
    // vitest's default leaves a core idle (one worker on a 2-core machine); the test files spend much
    // of their time waiting on child processes and servers, so one worker per core.
    maxWorkers: availableParallelism(),
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
          exclude: ["**/node_modules/**", LIFECYCLE],
          ...e2e,
        },
      },
    ],
  },
});
