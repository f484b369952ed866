/**
 * The other order of the README's installs in a fresh clone (./readme-commands.ts), with npm 12:
 * `npm install` in examples/basic first (its `file:../..` dependency packs the checkout, whose
 * `prepare`, allowed by the example's `allowScripts`, installs the checkout's own dependencies and
 * builds it), then `npm install` at the root; neither install ends with a warning, and each program
 * deploys. npm 12 only: it is the npm that skips a `prepare` not allowed (npm 11 runs it, as earlier
 * npms did), and readme-install.test.ts runs the same commands with both npms in the other order.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { npmComplaints, pinnedNpm, readProject } from "./driver";
import { useServers } from "./program-lifecycle";
import { homeWithClone, shell, upAndDestroy, useRegistry } from "./readme-commands";

const servers = useServers();
useRegistry();

describe("the README's install commands in the other order, in a fresh clone, npm 12", {
  timeout: 900_000,
}, () => {
  it("`npm install` in examples/basic, then `npm install` at the root: the example and the root project deploy", async () => {
    const npm = await pinnedNpm("12");
    const { home, clone } = await homeWithClone();
    const example = path.join(clone, "examples", "basic");
    expect(npmComplaints(await shell("npm install", home, example, npm))).toEqual([]);
    await upAndDestroy(servers, readProject(example));
    expect(npmComplaints(await shell("npm install", home, clone, npm))).toEqual([]);
    await upAndDestroy(servers, readProject(clone));
  });
});
