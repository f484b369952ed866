/**
 * "Installing" as a user follows it, in a fresh home folder (./readme-commands.ts), with npm 11 and
 * with npm 12: the clone's `npm ci` and `npm pack` make the tarball, "A new program"'s commands and
 * files make a program, then `npm install` in examples/basic after the root's install (the order in
 * which npm once failed with E404) gives a second program. Every install ends without a warning
 * (`allowScripts` covers each install script met). With npm 12, which skips the install scripts it
 * is not allowed to run, each program deploys; npm 11 runs the same scripts as earlier npms did, so
 * its programs are the ones the other e2e tests deploy.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { NPM_MAJORS, npmComplaints, pinnedNpm, readProject } from "./driver";
import { basicSettings, useServers } from "./program-lifecycle";
import {
  aProgram,
  block,
  cloneBlock,
  configSetByReadme,
  homeWithClone,
  installing,
  newProgramBlock,
  shell,
  upAndDestroy,
  useRegistry,
} from "./readme-commands";

const servers = useServers();
useRegistry();

describe.each(NPM_MAJORS)(
  "the README's install commands, run as written in a fresh clone, npm %s",
  { timeout: 900_000 },
  (major) => {
    const deploys = major === "12";
    let first: { home: string; clone: string };

    it("makes the tarball, and a new program from it deploys", async () => {
      const npm = await pinnedNpm(major);
      first = await homeWithClone();
      const cloned = await shell(
        cloneBlock.trim().split("\n").slice(1).join("\n"),
        first.home,
        first.home,
        npm,
      );
      expect(npmComplaints(cloned)).toEqual([]);
      expect(existsSync(path.join(first.clone, "pulumi-sinch-whatsapp-0.1.0.tgz"))).toBe(true);

      expect(npmComplaints(await shell(newProgramBlock, first.home, first.home, npm))).toEqual([]);
      const folder = /^mkdir ~\/(\S+) && cd ~\/\1$/m.exec(newProgramBlock)?.[1] ?? "";
      const dir = path.join(first.home, folder);
      writeFileSync(path.join(dir, "Pulumi.yaml"), block(installing, "yaml"));
      writeFileSync(path.join(dir, "tsconfig.json"), block(installing, "json"));
      writeFileSync(path.join(dir, "index.ts"), block(aProgram, "ts"));
      const installed = (name: string) =>
        JSON.parse(readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8"))
          .version as string;
      expect(installed("typescript")).toMatch(/^5\.9\./);

      const project = readProject(dir);
      // The stack config the README sets, with the emulator for the bot and the storage server for the probe.
      const settings = basicSettings(servers, project.name);
      const set = configSetByReadme(project.name);
      expect(set).toEqual(
        expect.objectContaining(
          Object.fromEntries(
            Object.keys(settings.config)
              .filter((key) => key !== "whatsapp:baseUrl")
              .map((key) => [key, settings.secretKeys.includes(key)]),
          ),
        ),
      );
      if (deploys) await upAndDestroy(servers, project);
    });

    it("`npm ci` at the root, then `npm install` in examples/basic: the root project and the example deploy", async () => {
      expect(first, "the clone of the first test").toBeDefined();
      const npm = await pinnedNpm(major);
      if (deploys) await upAndDestroy(servers, readProject(first.clone));
      const example = path.join(first.clone, "examples", "basic");
      expect(npmComplaints(await shell("npm install", first.home, example, npm))).toEqual([]);
      if (deploys) await upAndDestroy(servers, readProject(example));
    });
  },
);
