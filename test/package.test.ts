import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..");
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown> & {
  version: string;
};

describe("the package", { timeout: 60_000 }, () => {
  it("ships its licence and changelog, and no .js that points at a source map", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
    const files = ((JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files ?? []).map(
      (f) => f.path,
    );
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "CHANGELOG.md", "README.md", "dist/index.js"]));
    const scripts = files.filter((file) => file.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(10);
    for (const file of scripts)
      expect(readFileSync(join(ROOT, file), "utf8")).not.toContain("sourceMappingURL");
  });

  it("says where it comes from, under which licence, and which version the changelog describes", () => {
    expect(pkg).toMatchObject({
      license: "Apache-2.0",
      repository: { type: "git", url: expect.stringMatching(/^git\+https:\/\/github\.com\//) },
      homepage: expect.stringMatching(/^https:\/\//),
      bugs: { url: expect.stringMatching(/\/issues$/) },
    });
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(
      /^\s*Apache License\s+Version 2\.0, January 2004/,
    );
    const firstVersion = /^## \[([^\]]+)\]/m.exec(readFileSync(join(ROOT, "CHANGELOG.md"), "utf8"))?.[1];
    expect(firstVersion).toBe(pkg.version);
  });

  it("rebuilds dist only when a source is newer (npm run emulator and demo rely on it)", async () => {
    // The global setup has just made dist current, so the script must leave it alone.
    const before = statSync(join(ROOT, "dist", "index.js")).mtimeMs;
    await run(process.execPath, [join(ROOT, "scripts", "build-if-stale.cjs")], { cwd: ROOT });
    expect(statSync(join(ROOT, "dist", "index.js")).mtimeMs).toBe(before);
    const scripts = pkg.scripts as Record<string, string>;
    for (const name of ["emulator", "demo"])
      expect(scripts[name]).toMatch(/^node scripts\/build-if-stale\.cjs && /);
  });

  it("loads undici only when a request is sent (programs and previews never send one)", async () => {
    const script = `
      const loaded = () => Object.keys(require.cache).some((f) => f.includes("/node_modules/undici/"));
      require("./dist/index.js");
      require("./dist/provider/index.js");
      const before = loaded();
      new (require("./dist/index.js").MediaProviderClient)({ botId: "b", apiToken: "t", baseUrl: "http://127.0.0.1:9" });
      console.log(JSON.stringify([before, loaded()]));`;
    const { stdout } = await run(process.execPath, ["-e", script], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual([false, true]);
  });

  it("loads the provider's implementation and turns on the compile cache at its first call, never in a program", async () => {
    const script = `
      const { getCompileCacheDir } = require("node:module");
      const loaded = () => Object.keys(require.cache).some((f) => f.endsWith("/dist/provider/check.js"));
      const provider = require("./dist/provider/index.js");
      const before = [loaded(), getCompileCacheDir() !== undefined];
      provider.check({}, { config: { bearer: "t" }, name: "n", botId: "b" }).then(() =>
        console.log(JSON.stringify([before, [loaded(), getCompileCacheDir() !== undefined]])));`;
    const cache = mkdtempSync(join(tmpdir(), "compile-cache-"));
    const env = { ...process.env, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined };
    const { stdout } = await run(process.execPath, ["-e", script], {
      cwd: ROOT,
      env: { ...env, TMPDIR: cache },
    });
    expect(JSON.parse(stdout)).toEqual([
      [false, false],
      [true, true],
    ]);
    // The cache went where Node puts it by default, so NODE_COMPILE_CACHE and TMPDIR move it.
    expect(readdirSync(join(cache, "node-compile-cache")).length).toBeGreaterThan(0);
  });
});
