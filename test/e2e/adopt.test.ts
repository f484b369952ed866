/**
 * The adoption path end to end: `generate` writes a program for a bot's existing providers, the
 * printed `pulumi config set --secret` commands fill the stack config, and the program, driven
 * through the SDK's dynamic-provider host, adopts every provider without changing it.
 */
import { execFile, execFileSync } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import * as ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator";
import { capture, Stack, writeProgram } from "./driver";
import { installedProgram } from "./support";

const TOKEN = "adopt-Token-8e3a11";
const existing = [
  {
    name: "media_bucket",
    type: "www" as const,
    config: { basic: { username: "svc", password: `p@ss'word $HOME "x"` } },
  },
  { name: "cdn", type: "www" as const, config: { bearer: "cdn-Bearer-77aa" } },
  { name: "legacy provider 2", type: "www" as const, config: { bearer: "legacy-Bearer-31" } },
];

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ bots: { bot: TOKEN } });
  for (const entry of existing) emulator.setProvider("bot", entry);
});
afterAll(() => emulator.close());

/** Runs the printed commands with a stand-in `pulumi` that records each `config set` it is given. */
function configFromCommands(
  commands: string,
  project: string,
): { config: Record<string, string>; secretKeys: string[] } {
  const recorded = execFileSync(
    "bash",
    ["-c", `pulumi() { printf '%s\\0' "$@"; printf '\\n\\0'; }\n${commands}`],
    {
      encoding: "utf8",
    },
  );
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const call of recorded.split("\n\0").filter(Boolean)) {
    const args = call.split("\0").filter((a) => a !== "");
    const secret = args.includes("--secret");
    const [key, value] = args.filter((a) => !["config", "set", "--secret", "--"].includes(a));
    if (!key || value === undefined) continue;
    const namespaced = key.includes(":") ? key : `${project}:${key}`;
    config[namespaced] = value;
    if (secret) secretKeys.push(namespaced);
  }
  return { config, secretKeys };
}

describe("adopting providers configured by hand", () => {
  it("generates a program that adopts every existing provider without writing", async () => {
    const { program } = await installedProgram();
    const cli = path.join(program.dir, "node_modules/pulumi-sinch-whatsapp/dist/cli/main.js");
    const out = path.join(program.dir, "adopt-program.ts");
    // Not execFileSync: the emulator answering it runs in this process.
    const { stdout: commands } = await promisify(execFile)(
      "node",
      [cli, "generate", "--bot-id", "bot", "--base-url", emulator.url, "--token", TOKEN, "--out", out],
      { encoding: "utf8", env: { ...process.env, WHATSAPP_API_TOKEN: "" } },
    );
    const source = ts.sys.readFile(out) ?? "";
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    const file = writeProgram(program.dir, "adopt-program.js", js);

    const project = "adopt";
    const settings = configFromCommands(commands, project);
    settings.config["whatsapp:apiToken"] = TOKEN;
    settings.secretKeys.push("whatsapp:apiToken");
    const stack = new Stack({ dir: program.dir, project, stack: "dev", ...settings });
    const { resources } = await capture(program.dir, file, { project, stack: "dev", ...settings });
    expect(resources).toHaveLength(existing.length);

    emulator.resetCounters();
    const s = await stack.up(resources);
    expect(s.failed).toEqual([]);
    expect(s.created).toHaveLength(existing.length);
    expect(emulator.counters().byMethod.POST ?? 0).toBe(0);
    expect(emulator.providers("bot")).toEqual(existing);

    // Under management now: a rerun changes nothing, and refresh reads them all.
    emulator.resetCounters();
    expect((await stack.up(resources)).same).toHaveLength(existing.length);
    expect((await stack.refresh()).refreshed).toHaveLength(existing.length);
    expect(emulator.counters().byMethod.POST ?? 0).toBe(0);
    const state = stack.stateJson();
    for (const secret of ["cdn-Bearer-77aa", "legacy-Bearer-31", "p@ss'word"])
      expect(state).not.toContain(secret);
  });
});
