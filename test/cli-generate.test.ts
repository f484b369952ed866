import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/emulator";
import type { MediaProviderEntry } from "../src/types/media-provider";
import { type ChildOutput, childOutput } from "./support/child-output";

// The tests run the built CLI, as users do; `npm test` builds first.
const ROOT = join(__dirname, "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
// Generated programs are type-checked inside the repository, where @pulumi/pulumi resolves; the
// folder ignores itself (git and Biome), and the root tsconfig skips dot-folders.
const GENERATED_ROOT = join(__dirname, ".tmp-generated");
const TOKEN = "generate-token-4b5c";

type Result = ChildOutput;

function runCli(args: string[], env: Record<string, string>): Promise<Result> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
  return childOutput(child);
}

const basic = (name: string, username: string, password: string): MediaProviderEntry => ({
  name,
  type: "www",
  config: { basic: { username, password } },
});
const bearer = (name: string, token: string): MediaProviderEntry => ({
  name,
  type: "www",
  config: { bearer: token },
});

let emulator: Emulator;
let dir: string;
let env: Record<string, string>;
const PWNED = () => join(dir, "pwned");

// Names that collide once sanitized, a reserved word, legacy names (spaces, digits, a leading
// digit), and secrets full of shell syntax.
const PROVIDERS = (): MediaProviderEntry[] => [
  basic("media_bucket", "svc", `it's a "p@ss" with $HOME, \`id\` and \\ and !`),
  bearer("media-bucket", "-starts-with-a-dash"),
  bearer("cdn", "two words\nand a second line"),
  basic("Legacy provider 2", "o'brien", `$(touch ${PWNED()})`),
  bearer("class", "class-bearer-77"),
  bearer("2020 archive", "  spaced  "),
];

/** The `pulumi config set` calls a printed script makes, run by bash with `pulumi` as a function. */
async function configCalls(script: string): Promise<string[][]> {
  const { stdout } = await promisify(execFile)("bash", [
    "-c",
    `pulumi() { printf '%s\\0' "$#" "$@"; }\n${script}`,
  ]);
  const fields = stdout.split("\0");
  const calls: string[][] = [];
  for (let i = 0; i < fields.length - 1; ) {
    const count = Number(fields[i]);
    calls.push(fields.slice(i + 1, i + 1 + count));
    i += 1 + count;
  }
  return calls;
}

/** The secrets the calls store, by key, with `--` dropped. */
function secretsSet(calls: string[][]): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const call of calls) {
    const args = call.filter((arg, index) => !(arg === "--" && index === call.length - 2));
    if (args[2] === "--secret") secrets.set(args[3] ?? "", args[4] ?? "");
  }
  return secrets;
}

/** Provider name → the config key its resource reads its secret from. */
function keysByName(program: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const match of program.matchAll(/ {2}name: ("[^\n]*"),\n[\s\S]*?cfg\.requireSecret\("(\w+)"\)/g)) {
    keys.set(JSON.parse(match[1] ?? "") as string, match[2] ?? "");
  }
  return keys;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npx tsc -p tsconfig.build.json' first`);
  mkdirSync(GENERATED_ROOT, { recursive: true });
  writeFileSync(join(GENERATED_ROOT, ".gitignore"), "*\n");
  dir = mkdtempSync(join(GENERATED_ROOT, "run-"));
  emulator = await startEmulator({ bots: { bot: TOKEN, "empty-bot": TOKEN } });
  for (const entry of PROVIDERS()) emulator.setProvider("bot", entry);
  env = { WHATSAPP_BOT_ID: "bot", WHATSAPP_API_TOKEN: TOKEN, WHATSAPP_BASE_URL: emulator.url };
});

afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("cli: generate", { timeout: 60_000 }, () => {
  it("writes a program that type-checks, and prints commands that store the current secrets", async () => {
    const out = join(dir, "index.ts");
    const result = await runCli(["generate", "--out", out], env);
    expect(result).toMatchObject({ code: 0, stderr: `Wrote ${out}: 6 media provider(s).\n` });
    const program = readFileSync(out, "utf8");

    expect(program).toContain(
      'import * as pulumi from "@pulumi/pulumi";\nimport { MediaProvider } from "pulumi-sinch-whatsapp";',
    );
    expect(program.match(/adoptExisting: true,/g)).toHaveLength(6);
    expect(program).toContain('name: "Legacy provider 2",');
    expect(program).toContain('username: "o\'brien",');
    expect(program).toContain('// "2020 archive" predates the 2020-03-10 name rule');
    for (const entry of PROVIDERS()) {
      const secret = "basic" in entry.config ? entry.config.basic.password : entry.config.bearer;
      expect(program).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
    expect(program).not.toContain(TOKEN);

    // Variables double as resource names: valid identifiers, unique.
    const variables = [...program.matchAll(/^const (\S+) = new MediaProvider\("([^"]*)"/gm)].map((m) => {
      expect(m[2]).toBe(m[1]);
      return m[1];
    });
    expect(variables).toHaveLength(6);
    expect(new Set(variables).size).toBe(6);
    expect(variables).toEqual(
      expect.arrayContaining(["cdn", "legacyProvider2", "providerClass", "provider2020Archive"]),
    );

    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "commonjs",
          moduleResolution: "node10",
          strict: true,
          noUnusedLocals: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
          baseUrl: ".",
          paths: { "pulumi-sinch-whatsapp": ["../../../dist/index.d.ts"] },
        },
        files: ["index.ts"],
      }),
    );
    const tsc = await promisify(execFile)(process.execPath, [
      require.resolve("typescript/bin/tsc"),
      "-p",
      join(dir, "tsconfig.json"),
    ]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
    expect(tsc.stdout).toBe("");

    // The printed commands, run by bash, store each provider's current secret under the key its
    // resource reads, whatever quotes, spaces, `$` or newlines it holds.
    const calls = await configCalls(result.stdout);
    const keys = keysByName(program);
    expect(keys.size).toBe(6);
    const stored = secretsSet(calls);
    expect(stored.size).toBe(6);
    for (const entry of PROVIDERS()) {
      const secret = "basic" in entry.config ? entry.config.basic.password : entry.config.bearer;
      expect(stored.get(keys.get(entry.name) ?? "")).toBe(secret);
    }
    expect(calls).toContainEqual(["config", "set", "whatsapp:botId", "bot"]);
    expect(calls).toContainEqual(["config", "set", "whatsapp:baseUrl", emulator.url]);
    expect(existsSync(PWNED())).toBe(false);
    expect(result.stdout).not.toContain(TOKEN);
  });

  it("writes the program to stdout and the commands to stderr without --out, with keys that do not depend on order", async () => {
    const first = await runCli(["generate"], env);
    // The same providers listed in another order.
    for (const entry of PROVIDERS().slice(0, 3)) {
      emulator.removeProvider("bot", entry.name);
      emulator.setProvider("bot", entry);
    }
    const second = await runCli(["generate"], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\/\/ Generated by 'pulumi-sinch-whatsapp generate'/);
    expect(first.stderr).toMatch(/^# The current secrets/);
    expect(second.stdout).not.toBe(first.stdout);
    expect(keysByName(second.stdout)).toEqual(keysByName(first.stdout));
    expect(secretsSet(await configCalls(second.stderr))).toEqual(secretsSet(await configCalls(first.stderr)));
  });

  it("starts the config keys with --config-prefix", async () => {
    const result = await runCli(["generate", "--config-prefix", "media"], env);
    expect(result.code).toBe(0);
    expect([...keysByName(result.stdout).values()]).toEqual(
      expect.arrayContaining(["mediaCdnToken", "mediaLegacyProvider2Password"]),
    );
    for (const key of keysByName(result.stdout).values()) expect(key).toMatch(/^media[A-Z]\w*$/);
    const bad = await runCli(["generate", "--config-prefix", "9-lives"], env);
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toMatch(/^pulumi-sinch-whatsapp generate: --config-prefix must be [^\n]+\n$/);
  });

  it("refuses to overwrite an existing --out file unless --force", async () => {
    const out = join(dir, "existing.ts");
    writeFileSync(out, "// mine\n");
    const refused = await runCli(["generate", "--out", out], env);
    expect(refused).toMatchObject({ code: 2, stdout: "" });
    expect(refused.stderr).toBe(
      `pulumi-sinch-whatsapp generate: --out ${out} exists already; give --force to overwrite it\n`,
    );
    expect(readFileSync(out, "utf8")).toBe("// mine\n");
    const forced = await runCli(["generate", "--out", out, "--force"], env);
    expect(forced.code).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^\/\/ Generated by 'pulumi-sinch-whatsapp generate'/);
  });

  it("generates nothing for a bot without providers", async () => {
    const result = await runCli(["generate", "--bot-id", "empty-bot"], env);
    expect(result).toMatchObject({
      code: 0,
      stdout: "",
      stderr: "Bot empty-bot has no media providers: nothing to generate.\n",
    });
  });

  it("fails on one line: 401 with exit 1, a missing bot id with exit 2", async () => {
    const unauthorized = await runCli(["generate", "--token", "wrong-0000"], env);
    expect(unauthorized).toMatchObject({ code: 1, stdout: "" });
    expect(unauthorized.stderr).toMatch(/^pulumi-sinch-whatsapp generate: [^\n]*answered 401[^\n]*\n$/);
    const { WHATSAPP_BOT_ID: _, ...noBot } = env;
    const usage = await runCli(["generate"], noBot);
    expect(usage).toMatchObject({ code: 2, stdout: "" });
    expect(usage.stderr).toMatch(/^pulumi-sinch-whatsapp generate: no bot id[^\n]+\n$/);
  });

  it("answers --help on stdout with exit 0", async () => {
    const result = await runCli(["generate", "--help"], {});
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^Usage: pulumi-sinch-whatsapp generate/);
    expect(result.stdout).toContain("--config-prefix");
  });
});
