import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(__dirname, "..");
const PLUGIN = join(ROOT, "plugin");
const run = promisify(execFile);

describe("the plugin folder", { timeout: 60_000 }, () => {
  it("is a source-based Node plugin whose main starts the built server", () => {
    expect(parse(readFileSync(join(PLUGIN, "PulumiPlugin.yaml"), "utf8"))).toEqual({ runtime: "nodejs" });
    const manifest = JSON.parse(readFileSync(join(PLUGIN, "package.json"), "utf8"));
    // No dependencies of its own: modules resolve from where the package is installed (or, in a
    // clone, from the repository's node_modules), so the `npm install` the Pulumi CLI runs in the
    // folder fetches nothing for it; its own `prepare` builds a clone (plugin/prepare.cjs).
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.scripts).toEqual({ prepare: "node prepare.cjs" });
    const entry = readFileSync(join(PLUGIN, manifest.main), "utf8");
    const targets = [...entry.matchAll(/require\("([^"]+)"\)/g)].map((m) => join(PLUGIN, m[1] ?? ""));
    for (const target of targets) expect(existsSync(target)).toBe(true);
    // The compile cache is on before the server's modules load.
    expect(targets).toEqual([
      join(ROOT, "dist", "utils", "compile-cache.js"),
      join(ROOT, "dist", "plugin", "main.js"),
    ]);
  });

  it("ships in the packed tarball, with the gRPC library as a dependency", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
    expect(files).toEqual(
      expect.arrayContaining([
        "plugin/PulumiPlugin.yaml",
        "plugin/package.json",
        "plugin/index.js",
        "plugin/prepare.cjs",
        "plugin/package-lock.json",
        "dist/plugin/main.js",
      ]),
    );
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.dependencies["@grpc/grpc-js"]).toBeDefined();
  });
});
