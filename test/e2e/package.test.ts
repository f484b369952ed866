/**
 * The package as people get it: a fresh clone (no dist/) packs with a built dist/, which is what
 * `npm publish` and an install from git or a tarball ship; the tarball installed into an empty
 * project gives a package whose entry points load.
 */
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { cleanClone, nodeModulesSource, runDir, unpackInto } from "./driver";

const run = promisify(execFile);

describe("the package from a fresh clone", { timeout: 300_000 }, () => {
  it("packs with dist/ built by prepare, and installs from the tarball", async () => {
    const clone = await cleanClone(path.join(runDir(), "fresh-clone", "pulumi-sinch-whatsapp"));
    const { stdout } = await run("npm", ["pack", "--json"], { cwd: clone, maxBuffer: 64 << 20 });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    const files = packed?.files.map((f) => f.path) ?? [];
    for (const entry of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/provider/index.js",
      "dist/emulator/index.js",
      "dist/cli/main.js",
    ]) {
      expect(files).toContain(entry);
    }
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("test/"))).toEqual([]);

    const project = path.join(runDir(), "fresh-install");
    mkdirSync(project);
    writeFileSync(path.join(project, "package.json"), '{ "private": true }\n');
    await run("cp", ["-al", nodeModulesSource(), path.join(project, "node_modules")]);
    await unpackInto(
      path.join(project, "node_modules"),
      path.join(clone, packed?.filename ?? ""),
      "pulumi-sinch-whatsapp",
    );
    const probe = [
      'const pkg = require("pulumi-sinch-whatsapp");',
      'const provider = require("pulumi-sinch-whatsapp/provider");',
      'const emulator = require("pulumi-sinch-whatsapp/emulator");',
      "console.log(JSON.stringify([typeof pkg.MediaProvider, typeof provider.create, typeof emulator.startEmulator]));",
    ].join("\n");
    const loaded = await run(process.execPath, ["-e", probe], { cwd: project });
    expect(JSON.parse(loaded.stdout)).toEqual(["function", "function", "function"]);
  });
});
