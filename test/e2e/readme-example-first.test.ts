/**
 * The other order of the README's installs in a fresh clone (./readme-commands.ts): `npm install` in
 * examples/basic first (its `file:../..` dependency packs the checkout, whose `prepare` installs the
 * checkout's own dependencies and builds it), then `npm install` at the root; each program deploys.
 */
import * as path from "node:path";
import { describe, it } from "vitest";
import { readProject } from "./driver";
import { useServers } from "./program-lifecycle";
import { homeWithClone, shell, upAndDestroy, useRegistry } from "./readme-commands";

const servers = useServers();
useRegistry();

describe("the README's install commands in the other order, in a fresh clone", { timeout: 900_000 }, () => {
  it("`npm install` in examples/basic, then `npm install` at the root: the example and the root project deploy", async () => {
    const { home, clone } = await homeWithClone();
    const example = path.join(clone, "examples", "basic");
    await shell("npm install", home, example);
    await upAndDestroy(servers, readProject(example));
    await shell("npm install", home, clone);
    await upAndDestroy(servers, readProject(clone));
  });
});
