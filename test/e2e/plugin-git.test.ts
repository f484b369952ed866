/**
 * The plugin installed as the Pulumi CLI installs it (issue 24), with npm 11 and npm 12, following the
 * CLI's steps (pulumi/pulumi: `gitSource.Download` in sdk/go/common/workspace/plugins.go,
 * `InstallPluginAt` in pkg/cmd/pulumi/packageworkspace, the Node language host's
 * `InstallDependencies` and sdk/nodejs/npm/npm.go):
 *
 * - The README's git source `github.com/<owner>/<repo>/plugin@v<version>`: the repository cloned
 *   shallow at the tag into `~/.pulumi/plugins/resource-<source>-v<version>`, `npm install
 *   --loglevel=error` in its `plugin` folder, the plugin started from there as the language host's
 *   RunPlugin starts it and driven through a create, a read and a delete against the emulator. A bare
 *   repository on disk made from this working tree, tagged `v<version>`, stands in for GitHub.
 *   First machine with npm 11 (`pulumi package add`), then a second one with npm 12: a new home,
 *   nothing in its plugins folder (`pulumi install` of the entry `pulumi package add` recorded).
 * - The tarball form: the README's commands run as written, then the CLI's `npm install` in the
 *   installed package's plugin folder, which must install nothing; then the same session.
 *
 * Every npm run must end without a warning a user would have to puzzle over.
 */
import { execFile } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Emulator, startEmulator } from "../../src/emulator";
import {
  bareRepoAtTag,
  codeBlocks,
  installPackage,
  markdownSection,
  NPM_MAJORS,
  type NpmMajor,
  npmComplaints,
  pinnedNpm,
  REPO_ROOT,
  runDir,
} from "./driver";
import { pluginSession } from "./plugin-session";
import { shell, useRegistry } from "./readme-commands";

const run = promisify(execFile);
const BOT = "git-bot";
const TOKEN = "api-Token-6d0e2f91aa";
/** The user's Python project, as `pulumi new python` writes it. */
const PROJECT_YAML = "name: media-infra\nruntime:\n  name: python\n  options:\n    toolchain: pip\n";

const section = markdownSection(readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"), "Other languages");
const blocks = codeBlocks(section);
const shellText = blocks
  .filter((b) => b.lang === "sh")
  .map((b) => b.body)
  .join("\n");
const [, gitSource = "", tag = ""] = /^pulumi package add (github\.com\/\S+)@(\S+)$/m.exec(shellText) ?? [];
const tarballBlock =
  blocks.find((b) => b.lang === "sh" && /^npm install ~\/\S+\.tgz$/m.test(b.body))?.body ?? "";
const pluginFolderArg = /^pulumi package add (~\/\S+)$/m.exec(shellText)?.[1] ?? "";
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  version: string;
  repository: { url: string };
};

useRegistry();
let emulator: Emulator;
let repoUrl: string;

beforeAll(async () => {
  emulator = await startEmulator({ bots: { [BOT]: TOKEN } });
  repoUrl = await bareRepoAtTag(path.join(runDir(), "git-host", "pulumi-sinch-whatsapp.git"), tag);
});
afterAll(() => emulator?.close());

/** A user's home with a Python project in it; returns both folders. */
function newMachine(): { home: string; project: string } {
  const home = mkdtempSync(path.join(runDir(), "home-"));
  const project = path.join(home, "media-infra");
  mkdirSync(project);
  writeFileSync(path.join(project, "Pulumi.yaml"), PROJECT_YAML);
  return { home, project };
}

/** `~/` of a README path in `home`. */
const inHome = (home: string, readmePath: string) => path.join(home, readmePath.replace(/^~\//, ""));

/**
 * Where the CLI puts a git source: the whole clone in `resource-<host>_<owner>_<repo>_<folder>-v<version>`
 * (`PluginDescriptor.Dir`), the plugin in its subfolder (`SubDir`).
 */
function cliFolders(home: string): { clone: string; pluginDir: string } {
  const [, , , ...subfolder] = gitSource.split("/");
  const clone = path.join(home, ".pulumi", "plugins", `resource-${gitSource.replaceAll("/", "_")}-${tag}`);
  return { clone, pluginDir: path.join(clone, ...subfolder) };
}

/** The session's outcome on a freshly installed plugin: this version, one provider created then deleted. */
async function expectWorkingPlugin(pluginDir: string, project: string, nodeModules: string) {
  const session = await pluginSession({ pluginDir, programDir: project, emulator, bot: BOT, token: TOKEN });
  expect(session.runPath).toBe(path.join(nodeModules, "@pulumi", "pulumi", "cmd", "run-plugin", "index.js"));
  expect(session.version).toBe(manifest.version);
  expect(session.schemaName).toBe("whatsapp");
  expect(session.providersAfterCreate).toEqual(["media_bucket"]);
  expect(session.providersAfterDelete).toEqual([]);
}

describe("the git source of the README, installed as the Pulumi CLI installs it", {
  timeout: 900_000,
}, () => {
  it("names this repository's plugin folder at the tag of package.json's version, the `packages:` entry of the YAML example too", () => {
    const repo = manifest.repository.url.replace(/^git\+https:\/\//, "").replace(/\.git$/, "");
    expect(gitSource).toBe(`${repo}/plugin`);
    expect(tag).toBe(`v${manifest.version}`);
    const yaml = parse(blocks.find((b) => b.body.startsWith("name: media-yaml"))?.body ?? "") as {
      packages: Record<string, string>;
    };
    expect(yaml.packages).toEqual({ whatsapp: `${gitSource}@${tag}` });
  });

  const installs: [machine: string, major: NpmMajor][] = [
    ["the first machine (`pulumi package add`)", "11"],
    ["a second machine, nothing in its plugins folder (`pulumi install`)", "12"],
  ];
  it.each(installs)(
    "%s, npm %s: a shallow clone at the tag, `npm install` in the plugin folder builds it quietly, and the plugin runs from there",
    async (_machine, major) => {
      const npm = await pinnedNpm(major);
      const { home, project } = newMachine();
      const { clone, pluginDir } = cliFolders(home);
      expect((await shell("npm --version", home, home, npm)).trim()).toBe(npm.version);
      await run("git", ["clone", "--quiet", "--depth", "1", "--branch", tag, repoUrl, clone]);
      const output = await shell("npm install --loglevel=error", home, pluginDir, npm);
      expect(npmComplaints(output)).toEqual([]);
      // The checkout is as cloned (the plugin folder's lockfile is committed; dist/ and node_modules/ are ignored).
      expect((await run("git", ["status", "--porcelain"], { cwd: clone })).stdout).toBe("");
      await expectWorkingPlugin(pluginDir, project, path.join(clone, "node_modules"));
    },
  );
});

describe.each(NPM_MAJORS)("the tarball form of the README, npm %s", { timeout: 600_000 }, (major) => {
  it("installs without a warning; the CLI's `npm install` in the plugin folder installs nothing, and the plugin runs", async () => {
    const npm = await pinnedNpm(major);
    const { dir } = await installPackage(); // packs the package: the tarball lies in that folder
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz")) ?? "";
    const { home, project } = newMachine();
    const readmeTarball = /^npm install (~\/\S+\.tgz)$/m.exec(tarballBlock)?.[1] ?? "";
    expect(path.basename(readmeTarball), "the README's tarball is the one `npm pack` writes").toBe(tarball);
    mkdirSync(path.dirname(inHome(home, readmeTarball)), { recursive: true });
    copyFileSync(path.join(dir, tarball), inHome(home, readmeTarball));

    expect(npmComplaints(await shell(tarballBlock, home, home, npm))).toEqual([]);
    const pluginDir = inHome(home, pluginFolderArg);
    const nodeModules = path.resolve(pluginDir, "..", "..");
    const before = readdirSync(nodeModules);
    expect(npmComplaints(await shell("npm install --loglevel=error", home, pluginDir, npm))).toEqual([]);
    expect(existsSync(path.join(pluginDir, "node_modules"))).toBe(false);
    expect(readdirSync(nodeModules)).toEqual(before);
    await expectWorkingPlugin(pluginDir, project, nodeModules);
  });
});
