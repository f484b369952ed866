/**
 * The other order of the README's installs in a fresh clone (./readme-commands.ts), with npm 11 and
 * with npm 12: `npm install` in examples/basic first (its `file:../..` dependency packs the checkout,
 * whose `prepare`, allowed by the example's `allowScripts`, installs the checkout's own dependencies
 * and builds it), then `npm install` at the root; neither install ends with a warning. With npm 12,
 * which skips the install scripts it is not allowed to run, each program deploys (npm 11 runs the
 * same scripts as earlier npms did).
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { NPM_MAJORS, npmComplaints, pinnedNpm, readProject } from "./driver";
import { useServers } from "./program-lifecycle";
import { homeWithClone, shell, upAndDestroy, useRegistry } from "./readme-commands";

const servers = useServers();
useRegistry();

describe.each(NPM_MAJORS)(
  "the README's install commands in the other order, in a fresh clone, npm %s",
  { timeout: 900_000 },
  (major) => {
    it("`npm install` in examples/basic, then `npm install` at the root: the example and the root project deploy", async () => {
      const npm = await pinnedNpm(major);
      const deploys = major === "12";
      const { home, clone } = await homeWithClone();
      const example = path.join(clone, "examples", "basic");
      expect(npmComplaints(await shell("npm install", home, example, npm))).toEqual([]);
      if (deploys) await upAndDestroy(servers, readProject(example));
      expect(npmComplaints(await shell("npm install", home, clone, npm))).toEqual([]);
      if (deploys) await upAndDestroy(servers, readProject(clone));
    });
  },
);
