import { execFile } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";

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

  it("leaves a current dist alone (npm run emulator and demo rebuild it only when stale)", async () => {
    // The global setup has just made dist current, so the script must leave it alone.
    const before = statSync(join(ROOT, "dist", "index.js")).mtimeMs;
    await run(process.execPath, [join(ROOT, "scripts", "build-if-stale.cjs")], { cwd: ROOT });
    expect(statSync(join(ROOT, "dist", "index.js")).mtimeMs).toBe(before);
    const scripts = pkg.scripts as Record<string, string>;
    for (const name of ["emulator", "demo"])
      expect(scripts[name]).toMatch(/^node scripts\/build-if-stale\.cjs && /);
  });

  it("runs the build when a source, package.json or a tsconfig is newer than dist, or dist is missing", async () => {
    // The scripts in a tree of their own whose `build` counts its runs: this checkout's dist/ is
    // in use by other tests.
    const tree = mkdtempSync(join(tmpdir(), "build-if-stale-"));
    onTestFinished(() => rmSync(tree, { recursive: true, force: true }));
    mkdirSync(join(tree, "scripts"));
    for (const script of ["build-if-stale.cjs", "build-is-stale.cjs"])
      copyFileSync(join(ROOT, "scripts", script), join(tree, "scripts", script));
    const build = `require("node:fs").appendFileSync("builds", "x"); require("node:fs").mkdirSync("dist", { recursive: true }); require("node:fs").writeFileSync("dist/index.js", "")`;
    writeFileSync(join(tree, "build.cjs"), build);
    writeFileSync(join(tree, "package.json"), JSON.stringify({ scripts: { build: "node build.cjs" } }));
    for (const file of ["tsconfig.json", "tsconfig.build.json"]) writeFileSync(join(tree, file), "{}");
    mkdirSync(join(tree, "src", "client"), { recursive: true });
    writeFileSync(join(tree, "src", "client", "a.ts"), "");
    const builds = async () => {
      await run(process.execPath, [join(tree, "scripts", "build-if-stale.cjs")], { cwd: tree });
      return existsSync(join(tree, "builds")) ? readFileSync(join(tree, "builds"), "utf8").length : 0;
    };
    // Times an hour back, a minute apart, so that no clock's resolution decides.
    const hourAgo = Date.now() / 1000 - 3600;
    const at = (file: string, minutes: number) =>
      utimesSync(join(tree, file), hourAgo + 60 * minutes, hourAgo + 60 * minutes);
    const inputs = ["src/client/a.ts", "package.json", "tsconfig.json", "tsconfig.build.json"];
    expect(await builds()).toBe(1); // no dist/
    for (const file of inputs) at(file, 0);
    at("dist/index.js", 1);
    expect(await builds()).toBe(1);
    for (const [i, file] of inputs.entries()) {
      at("dist/index.js", 1);
      at(file, 2); // newer than dist/index.js, the other inputs older; the build writes it now
      expect(await builds(), file).toBe(2 + i);
      expect(await builds(), file).toBe(2 + i);
      at(file, 0);
    }
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
