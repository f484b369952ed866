/**
 * "Installing" as a user follows it, in a fresh home folder (./readme-commands.ts): the clone's
 * `npm ci` and `npm pack` make the tarball, "A new program"'s commands and files make a program that
 * deploys, then `npm install` in examples/basic after the root's install
 * (the order in which npm once failed with E404) gives a second program that deploys.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readProject } from "./driver";
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

describe("the README's install commands, run as written in a fresh clone", { timeout: 900_000 }, () => {
  let first: { home: string; clone: string };

  it("makes the tarball, and a new program from it deploys", async () => {
    first = await homeWithClone();
    await shell(cloneBlock.trim().split("\n").slice(1).join("\n"), first.home);
    expect(existsSync(path.join(first.clone, "pulumi-sinch-whatsapp-0.1.0.tgz"))).toBe(true);

    await shell(newProgramBlock, first.home);
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
    await upAndDestroy(servers, project);
  });

  it("`npm ci` at the root, then `npm install` in examples/basic: the root project and the example deploy", async () => {
    expect(first, "the clone of the first test").toBeDefined();
    await upAndDestroy(servers, readProject(first.clone));
    const example = path.join(first.clone, "examples", "basic");
    await shell("npm install", first.home, example);
    await upAndDestroy(servers, readProject(example));
  });
});
