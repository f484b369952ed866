/**
 * The fast end-to-end lifecycle `npm test` runs: the root project (Pulumi.yaml at the repository
 * root, which runs examples/basic) after `npm install` at the root, in a checkout laid out as a
 * user's clone, through up, a rerun that writes nothing, an update, a removed resource and destroy,
 * the way `pulumi up` runs it (./program-lifecycle.ts). test/e2e/programs.test.ts runs the others.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readProject, userCheckout } from "./driver";
import { basicCase, lifecycle, useServers } from "./program-lifecycle";

const servers = useServers();

describe("the root project, run as `pulumi up` runs it", { timeout: 600_000 }, () => {
  it("after `npm install` at the root: up, rerun, update, remove, destroy", async () => {
    const root = await userCheckout();
    const project = readProject(root);
    expect(project.pwd).toBe(path.join(root, "examples", "basic"));
    await lifecycle(servers.emulator, basicCase(servers, project));
  });
});
