/**
 * The README's "Other languages" section followed as a Python, Go, .NET or YAML user follows it, up to
 * where the Pulumi CLI takes over: its shell blocks run as written in bash, in a fresh home folder
 * holding the packed tarball where the README says it is, in a Python project's folder. `npm install`
 * is an offline stand-in that lays the folder out as npm does (tests have no network) and `pulumi` a
 * stand-in that logs its calls (driver/readme-shell.ts). The git form (`pulumi package add` of the
 * git source, `pulumi install`) is the CLI's from there on: plugin-git.test.ts follows its steps. For
 * the tarball form, the plugin folder given to `pulumi package add` must exist in the installed
 * package and start as the Node language host starts it, the id given to `pulumi import` must read
 * the provider it names, and the Python, Go and YAML programs must use the names the schema gives.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Emulator, startEmulator } from "../../src/emulator";
import {
  codeBlocks,
  installPackage,
  markdownSection,
  PluginHost,
  ProviderCalls,
  REPO_ROOT,
  runDir,
  runShellBlocks,
  type StandinCall,
  unwrapSecrets,
} from "./driver";

const PKG = "whatsapp";
const TOKEN = "api-Token-91b2c3d4e5";
const BEARER = "bearer-Readme-4f5e6d7c";
/** The Python project the user runs `pulumi package add` in, as `pulumi new python` writes it. */
const PROJECT_YAML =
  "name: media-infra\nruntime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: venv\n";

const section = markdownSection(readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"), "Other languages");
const blocks = codeBlocks(section);
/** The program in `lang` (the YAML one is a whole `Pulumi.yaml`, not the `packages:` excerpt). */
const program = (lang: string) =>
  blocks.find((b) => b.lang === lang && (lang !== "yaml" || b.body.startsWith("name:")))?.body ?? "";

interface Schema {
  name: string;
  resources: Record<string, { inputProperties: Record<string, unknown> }>;
  functions: Record<string, { outputs: { properties: Record<string, unknown> } }>;
  types: Record<string, { properties?: Record<string, unknown> }>;
  language: { python: { packageName: string }; go: { importBasePath: string } };
}

let home: string;
let projectDir: string;
let calls: StandinCall[];
let plugin: PluginHost | undefined;
let emulator: Emulator | undefined;
let schema: Schema;

const pulumiCall = (command: string) => calls.find((c) => c.tool === "pulumi" && c.args[0] === command);
const packageAdds = () =>
  calls.filter((c) => c.tool === "pulumi" && c.args[0] === "package" && c.args[1] === "add");
/** The `pulumi package add` of a folder (the tarball form), not of the git source. */
const folderAdd = () => packageAdds().find((c) => path.isAbsolute(c.args[2] ?? ""));
/** `pulumi config set [--secret] <key> [value]` calls: key -> value (undefined when prompted for). */
const configSet = () =>
  new Map(
    calls
      .filter((c) => c.tool === "pulumi" && c.args[0] === "config" && c.args[1] === "set")
      .map((c) => c.args.slice(2).filter((a) => a !== "--secret"))
      .map(([key, value]) => [key ?? "", value]),
  );
/** Where the README's `pulumi package add` of a folder points. */
const pluginFolder = () => path.resolve(folderAdd()?.cwd ?? "", folderAdd()?.args[2] ?? "");

beforeAll(async () => {
  const { dir } = await installPackage(); // packs the package: the tarball lies in that folder
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz")) ?? "";
  home = mkdtempSync(path.join(runDir(), "home-"));
  const shell = blocks.filter((b) => b.lang === "sh").map((b) => b.body);
  const npmInstall = /^npm install (~\/\S+\.tgz)$/m.exec(shell.join("\n"))?.[1] ?? "";
  expect(path.basename(npmInstall), "the README's tarball is the one `npm pack` writes").toBe(tarball);
  const where = path.join(home, npmInstall.slice(2));
  mkdirSync(path.dirname(where), { recursive: true });
  copyFileSync(path.join(dir, tarball), where);
  projectDir = path.join(home, "media-infra");
  mkdirSync(projectDir);
  writeFileSync(path.join(projectDir, "Pulumi.yaml"), PROJECT_YAML);
  calls = await runShellBlocks(shell, { home, cwd: projectDir });
});
afterAll(async () => {
  await plugin?.stop();
  await emulator?.close();
});

describe("README, Other languages", () => {
  it("the shell commands run as written: the CLI's commands in the project, the git source first, `pulumi install` for teammates; for the tarball form one `npm install` in a folder of its own", () => {
    const npm = calls.filter((c) => c.tool === "npm");
    expect(npm).toHaveLength(1);
    expect(npm[0]?.args[0]).toBe("install");
    expect(npm[0]?.cwd.startsWith(projectDir)).toBe(false);
    expect(new Set(calls.filter((c) => c.tool === "pulumi").map((c) => c.cwd))).toEqual(
      new Set([projectDir]),
    );
    const [gitAdd, tarballAdd] = packageAdds();
    expect(gitAdd?.args[2]).toMatch(/^github\.com\/[^/]+\/[^/]+\/plugin@v\d+\.\d+\.\d+$/);
    expect(tarballAdd).toBe(folderAdd());
    expect(pulumiCall("install")?.args).toEqual(["install"]);
  });

  it("`pulumi package add` gets the plugin folder of the installed package, which starts as the Node language host starts it", async () => {
    const installedAt = calls.find((c) => c.tool === "npm")?.cwd ?? "";
    expect(pluginFolder()).toBe(path.join(installedAt, "node_modules", "pulumi-sinch-whatsapp", "plugin"));
    expect(readFileSync(path.join(pluginFolder(), "PulumiPlugin.yaml"), "utf8")).toMatch(
      /^runtime: nodejs$/m,
    );
    const config = Object.fromEntries(
      [...configSet()].map(([key, value]) => [key, value ?? (key === `${PKG}:apiToken` ? TOKEN : "")]),
    );
    const project = parse(PROJECT_YAML) as { name: string; runtime: { options: Record<string, string> } };
    plugin = await PluginHost.start({
      pluginDir: pluginFolder(),
      programDir: projectDir,
      project: project.name,
      pkg: PKG,
      config,
      runtimeOptions: project.runtime.options,
    });
    // run-plugin resolved from the plugin folder: the @pulumi/pulumi npm put beside the package
    expect(plugin.runPath.startsWith(path.join(installedAt, "node_modules", "@pulumi", "pulumi"))).toBe(true);
    expect(plugin.host.stdout).toBe(`${plugin.port}\n`);
    const engine = new ProviderCalls(plugin, { project: project.name, stack: "dev", pkg: PKG });
    schema = (await engine.schema()) as unknown as Schema;
    expect(schema.name).toBe(PKG);
  });

  it("`pulumi import` with the README's id reads the provider it names, through the plugin", async () => {
    const [, type = "", resourceName = "", id = ""] = pulumiCall("import")?.args ?? [];
    expect(Object.keys(schema.resources)).toContain(type);
    expect(resourceName).not.toBe("");
    const botId = configSet().get(`${PKG}:botId`) ?? "";
    const providerName = id.slice(botId.length + 1);
    expect(id).toBe(`${botId}/${providerName}`);
    emulator = await startEmulator({ bots: { [botId]: TOKEN } });
    emulator.setProvider(botId, { name: providerName, type: "www", config: { bearer: BEARER } });
    const engine = new ProviderCalls(plugin as PluginHost, {
      project: "media-infra",
      stack: "dev",
      pkg: PKG,
    });
    await engine.configure({ botId, baseUrl: emulator.url, apiToken: TOKEN }, ["apiToken"]);
    const read = await engine.read(type, resourceName, id);
    expect(read.id).toBe(id);
    expect(unwrapSecrets(read.outputs)).toMatchObject({
      botId,
      name: providerName,
      config: { bearer: BEARER },
    });
  });

  it("the Python, Go and YAML programs use the package, types, resource and function the schema names", () => {
    const typeNames = Object.keys(schema.types).map((token) => token.split(":").at(-1));
    const python = program("python");
    expect(/^import (\w+) as whatsapp$/m.exec(python)?.[1]).toBe(schema.language.python.packageName);
    expect(python).toContain("whatsapp.MediaProvider(");
    expect(python).toContain("whatsapp.get_media_providers_output(");
    const go = program("go");
    expect(go).toContain(`"${schema.language.go.importBasePath}"`);
    expect(go).toContain("whatsapp.NewMediaProvider(");
    for (const code of [python, go]) {
      const argsTypes = [...code.matchAll(/whatsapp\.(\w+)Args\b/g)].map((m) => m[1]);
      expect(argsTypes.length).toBeGreaterThan(0);
      for (const name of argsTypes) expect([...typeNames, "MediaProvider"]).toContain(name);
    }
    const yaml = parse(program("yaml")) as {
      packages: Record<string, string>;
      resources: Record<string, { type: string; properties: Record<string, unknown> }>;
      variables: Record<string, { "fn::invoke": { function: string; return: string } }>;
    };
    expect(Object.keys(yaml.packages)).toEqual([schema.name]);
    for (const { type, properties } of Object.values(yaml.resources)) {
      const inputs = Object.keys(schema.resources[type]?.inputProperties ?? {});
      for (const key of Object.keys(properties)) expect(inputs).toContain(key);
    }
    for (const { "fn::invoke": invoke } of Object.values(yaml.variables)) {
      expect(Object.keys(schema.functions[invoke.function]?.outputs.properties ?? {})).toContain(
        invoke.return,
      );
    }
  });
});
