import { defineConfig } from "vitest/config";

// Two projects: fast unit tests, and e2e tests (test/e2e) that install packed tarballs, spawn
// `node` children and the Pulumi dynamic-provider host, so they get long timeouts and a global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**", "**/node_modules/**"],
          globalSetup: ["test/build-setup.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/build-setup.ts", "test/e2e/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          teardownTimeout: 30_000,
        },
      },
    ],
  },
});
