import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/emulator";
import { type ChildOutput, childOutput } from "./support/child-output";
import { pathWithout } from "./support/path-without";
import { createEncryptionSalt, encryptValue } from "./support/pulumi-secrets";
import { startRawServer } from "./support/raw-server";

// The tests run the built CLI, as users do; `npm test` builds first.
const CLI = join(__dirname, "..", "dist", "cli", "main.js");
const PASSPHRASE = "list test passphrase";
const TOKENS = { flag: "flag-token-1a2b", stack: "stack-token-3c4d", env: "env-token-5e6f" };
const PASSWORD = "bucket pass'word $HOME";
const BEARER = "cdn-bearer-9z8y";

type Result = ChildOutput;

/**
 * Runs the CLI with only PATH and `env` in its environment (no WHATSAPP_* or PULUMI_* of the
 * caller). PATH has no `pulumi` unless `env` gives one: `--stack-config` would use it.
 */
function runCli(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: pathWithout("pulumi"), ...env } });
  return childOutput(child);
}

/** A loopback port nothing listens on: one the system just gave and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A failure as the CLI reports it: one line on stderr, nothing on stdout, no token anywhere. */
function expectOneLineError(result: Result, code: number, pattern: RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^pulumi-sinch-whatsapp list: [^\n]+\n$/);
  expect(result.stderr).toMatch(pattern);
  for (const token of Object.values(TOKENS)) expect(result.stderr).not.toContain(token);
}

let emulator: Emulator;
let dir: string;
let salt: string;
let env: Record<string, string>;

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npx tsc -p tsconfig.build.json' first`);
  dir = mkdtempSync(join(tmpdir(), "cli-list-"));
  emulator = await startEmulator({
    bots: {
      "flag-bot": TOKENS.flag,
      "stack-bot": TOKENS.stack,
      "env-bot": TOKENS.env,
      "empty-bot": TOKENS.env,
    },
  });
  emulator.setProvider("env-bot", {
    name: "bucket",
    type: "www",
    config: { basic: { username: "svc", password: PASSWORD } },
  });
  emulator.setProvider("env-bot", { name: "cdn", type: "www", config: { bearer: BEARER } });
  emulator.setProvider("stack-bot", { name: "from-stack", type: "www", config: { bearer: "s" } });
  emulator.setProvider("flag-bot", { name: "from-flags", type: "www", config: { bearer: "f" } });
  env = { WHATSAPP_BOT_ID: "env-bot", WHATSAPP_API_TOKEN: TOKENS.env, WHATSAPP_BASE_URL: emulator.url };
  salt = createEncryptionSalt(PASSPHRASE);
});

afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("cli: list", { timeout: 30_000 }, () => {
  it("prints a table with the secrets masked", async () => {
    const result = await runCli(["list"], env);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout.split("\n")).toEqual([
      "NAME    TYPE  AUTH    USERNAME  SECRET",
      "bucket  www   basic   svc       ********",
      "cdn     www   bearer  -         ********",
      "",
    ]);
  });

  it("prints the secrets with --show-secrets", async () => {
    const result = await runCli(["list", "--show-secrets"], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`bucket  www   basic   svc       ${PASSWORD}\n`);
    expect(result.stdout).toContain(`cdn     www   bearer  -         ${BEARER}\n`);
  });

  it("prints JSON for scripts, masked the same way unless --show-secrets", async () => {
    const masked = await runCli(["list", "--json"], env);
    expect(masked.code).toBe(0);
    expect(JSON.parse(masked.stdout)).toEqual([
      {
        name: "bucket",
        type: "www",
        authType: "basic",
        config: { basic: { username: "svc", password: "********" } },
      },
      { name: "cdn", type: "www", authType: "bearer", config: { bearer: "********" } },
    ]);
    const shown = await runCli(["list", "--json", "--show-secrets"], env);
    expect(JSON.parse(shown.stdout)).toEqual([
      {
        name: "bucket",
        type: "www",
        authType: "basic",
        config: { basic: { username: "svc", password: PASSWORD } },
      },
      { name: "cdn", type: "www", authType: "bearer", config: { bearer: BEARER } },
    ]);
  });

  it("says so when the bot has no providers (an empty array in JSON)", async () => {
    const table = await runCli(["list", "--bot-id", "empty-bot"], env);
    expect(table).toMatchObject({ code: 0, stdout: "Bot empty-bot has no media providers.\n" });
    const json = await runCli(["list", "--bot-id", "empty-bot", "--json"], env);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it("takes each setting from the flags, else the stack config file, else the environment", async () => {
    const stack = writeFile(
      "Pulumi.precedence.yaml",
      `config:\n  whatsapp:botId: stack-bot\n  whatsapp:apiToken: ${TOKENS.stack}\n  whatsapp:baseUrl: http://127.0.0.1:1\n`,
    );
    const names = async (args: string[]) => {
      const result = await runCli(["list", "--json", ...args], env);
      expect(result.stderr).toBe("");
      return (JSON.parse(result.stdout) as { name: string }[]).map((p) => p.name);
    };
    expect(await names([])).toEqual(["bucket", "cdn"]);
    expect(await names(["--stack-config", stack, "--base-url", emulator.url])).toEqual(["from-stack"]);
    expect(
      await names([
        "--stack-config",
        stack,
        "--base-url",
        emulator.url,
        "--bot-id",
        "flag-bot",
        "--token",
        TOKENS.flag,
      ]),
    ).toEqual(["from-flags"]);
    // The file's bot with the environment's token and endpoint.
    const partial = writeFile(
      "Pulumi.partial.yaml",
      "config:\n  whatsapp:botId: empty-bot\n  other:key: 1\n",
    );
    expect(await names(["--stack-config", partial])).toEqual([]);
  });

  it("uses the project's Pulumi.yaml beside the stack file for values the stack file lacks", async () => {
    const project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(
      join(project, "Pulumi.yaml"),
      `name: p\nruntime: nodejs\nconfig:\n  whatsapp:baseUrl:\n    value: ${emulator.url}\n  whatsapp:botId: env-bot\n`,
    );
    writeFileSync(join(project, "Pulumi.dev.yaml"), "config:\n  whatsapp:botId: flag-bot\n");
    const result = await runCli(["list", "--json", "--stack-config", join(project, "Pulumi.dev.yaml")], {
      WHATSAPP_API_TOKEN: TOKENS.flag,
    });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject([{ name: "from-flags" }]);
  });

  it("decrypts a secure token of the stack file with PULUMI_CONFIG_PASSPHRASE or _FILE", async () => {
    const stack = writeFile(
      "Pulumi.secure.yaml",
      [
        `encryptionsalt: ${salt}`,
        "config:",
        "  whatsapp:botId: stack-bot # a comment",
        "  whatsapp:apiToken:",
        `    secure: ${encryptValue(PASSPHRASE, salt, TOKENS.stack)}`,
        "",
      ].join("\n"),
    );
    const withEnv = await runCli(["list", "--stack-config", stack], {
      WHATSAPP_BASE_URL: emulator.url,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    });
    expect(withEnv).toMatchObject({ code: 0, stderr: "" });
    expect(withEnv.stdout).toContain("from-stack");
    const passphraseFile = writeFile("passphrase", `${PASSPHRASE}\n`);
    const withFile = await runCli(["list", "--stack-config", stack], {
      WHATSAPP_BASE_URL: emulator.url,
      PULUMI_CONFIG_PASSPHRASE_FILE: passphraseFile,
    });
    expect(withFile.stdout).toContain("from-stack");
    // A token given as a flag needs no passphrase.
    const flagged = await runCli(["list", "--stack-config", stack, "--token", TOKENS.stack], {
      WHATSAPP_BASE_URL: emulator.url,
    });
    expect(flagged.stdout).toContain("from-stack");
  });

  it("fails on one line with exit 1 for a wrong or missing passphrase", async () => {
    const stack = writeFile(
      "Pulumi.locked.yaml",
      `encryptionsalt: ${salt}\nconfig:\n  whatsapp:apiToken:\n    secure: ${encryptValue(PASSPHRASE, salt, TOKENS.env)}\n`,
    );
    const wrong = await runCli(["list", "--stack-config", stack], {
      ...env,
      PULUMI_CONFIG_PASSPHRASE: "nope",
    });
    expectOneLineError(
      wrong,
      1,
      /Pulumi\.locked\.yaml: cannot decrypt whatsapp:apiToken: incorrect passphrase/,
    );
    const missing = await runCli(["list", "--stack-config", stack], env);
    expectOneLineError(missing, 1, /whatsapp:apiToken is encrypted: set PULUMI_CONFIG_PASSPHRASE/);
  });

  it("fails on one line with exit 1 for a stack file that cannot be used", async () => {
    expectOneLineError(
      await runCli(["list", "--stack-config", writeFile("Pulumi.bad.yaml", "config: [a\n")], env),
      1,
      /Pulumi\.bad\.yaml is not valid YAML: /,
    );
    expectOneLineError(
      await runCli(["list", "--stack-config", join(dir, "Pulumi.none.yaml")], env),
      1,
      /cannot read .*Pulumi\.none\.yaml: ENOENT/,
    );
    const cloud = writeFile("Pulumi.cloud.yaml", "config:\n  whatsapp:apiToken:\n    secure: AAABAxyz\n");
    expectOneLineError(
      await runCli(["list", "--stack-config", cloud], env),
      1,
      /whatsapp:apiToken is encrypted by a secrets provider other than a passphrase/,
    );
  });

  it("prints a 401 as one line with exit 1, without the token", async () => {
    const result = await runCli(["list", "--token", "wrong-token-0000"], env);
    expectOneLineError(result, 1, /answered 401/);
    expect(result.stderr).not.toContain("wrong-token-0000");
  });

  it("is a usage error (exit 2) to give no bot id, token or endpoint, or conflicting flags", async () => {
    const { WHATSAPP_BOT_ID: _, ...noBot } = env;
    expectOneLineError(await runCli(["list"], noBot), 2, /no bot id: give --bot-id/);
    expectOneLineError(await runCli(["list", "--bot-id", "b", "--region", "us1"], {}), 2, /no API token/);
    expectOneLineError(
      await runCli(["list", "--bot-id", "b"], { WHATSAPP_API_TOKEN: "t" }),
      2,
      /no endpoint/,
    );
    expectOneLineError(
      await runCli(["list", "--region", "us1", "--base-url", emulator.url], env),
      2,
      /not both/,
    );
    expectOneLineError(await runCli(["list", "--region", "ap9"], env), 2, /--region must be us1 or eu1/);
    expectOneLineError(await runCli(["list", "--colour"], env), 2, /Unknown option '--colour'/);
  });

  it.each(["a/b", "..", ".", "", "x%2F.."])(
    "refuses the bot id %j from --bot-id (exit 2) or the environment (exit 1), sending nothing",
    async (botId) => {
      emulator.resetCounters();
      const fromFlag = await runCli(["list", "--bot-id", botId], env);
      expectOneLineError(
        fromFlag,
        2,
        /: --bot-id: (a bot id must not be empty|bot id .* cannot be carried in the API path as is)/,
      );
      if (botId !== "") {
        const fromEnv = await runCli(["list"], { ...env, WHATSAPP_BOT_ID: botId });
        expectOneLineError(fromEnv, 1, /: WHATSAPP_BOT_ID must be one path segment as it is/);
      }
      expect(emulator.counters().requests).toBe(0);
    },
  );

  it("reports each retry on stderr and gives up after 3 retries by default", async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCli(["list", "--base-url", baseUrl], env);
    expect(result).toMatchObject({ code: 1, stdout: "" });
    const lines = result.stderr.split("\n");
    expect(lines.slice(0, 3)).toEqual(
      [2, 3, 4].map((attempt) =>
        expect.stringMatching(
          new RegExp(
            `^retrying GET /whatsapp/v1/env-bot/provision/provider in \\d+\\.\\d s \\(ECONNREFUSED\\), attempt ${attempt} of 4$`,
          ),
        ),
      ),
    );
    expect(lines.slice(3)).toEqual([
      expect.stringMatching(/^pulumi-sinch-whatsapp list: GET .* ECONNREFUSED/),
      "",
    ]);
  });

  it("retries as often as --max-retries says", async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}`;
    const once = await runCli(["list", "--base-url", baseUrl, "--max-retries", "1"], env);
    expect(once.code).toBe(1);
    expect(once.stderr).toMatch(
      /^retrying GET \S+ in \d+\.\d s \(ECONNREFUSED\), attempt 2 of 2\npulumi-sinch-whatsapp list: [^\n]+\n$/,
    );
    const never = await runCli(["list", "--base-url", baseUrl, "--max-retries", "0"], env);
    expectOneLineError(never, 1, /ECONNREFUSED/);
  });

  it("gives up after --timeout seconds, else whatsapp:callTimeoutMs, when the API does not answer", async () => {
    const silent = await startRawServer(() => {
      // never answers
    });
    try {
      const flag = await runCli(["list", "--base-url", silent.url, "--timeout", "0.5"], env);
      expectOneLineError(
        flag,
        1,
        /: GET \S+ gave up after 0\.5 s, .*: attempt 1 was still waiting for the response headers\. .*the CLI's --timeout/,
      );
      const setting = await runCli(["list", "--base-url", silent.url], {
        ...env,
        WHATSAPP_CALL_TIMEOUT_MS: "700",
      });
      expectOneLineError(setting, 1, /: GET \S+ gave up after 0\.7 s, /);
      expect(silent.seen).toHaveLength(2);
    } finally {
      await silent.close();
    }
  });

  it("is a usage error (exit 2) naming the flag for a bad --base-url, --max-retries or --timeout", async () => {
    expectOneLineError(
      await runCli(["list", "--base-url", "notaurl"], env),
      2,
      /: --base-url must be an absolute http or https URL/,
    );
    expectOneLineError(
      await runCli(["list", "--base-url", "ftp://127.0.0.1/"], env),
      2,
      /: --base-url must be an absolute http or https URL/,
    );
    expectOneLineError(
      await runCli(["list", "--max-retries", "many"], env),
      2,
      /: --max-retries must be a whole number/,
    );
    expectOneLineError(await runCli(["list", "--max-retries=-1"], env), 2, /: --max-retries must be 0/);
    expectOneLineError(await runCli(["list", "--timeout", "0"], env), 2, /: --timeout must be a number/);
    expectOneLineError(await runCli(["list", "--timeout", "soon"], env), 2, /: --timeout must be a number/);
  });

  it("reads --stack-config with 'pulumi config' in the stack's folder when pulumi is on PATH", async () => {
    const project = join(dir, "with-pulumi");
    const bin = join(project, "bin");
    mkdirSync(bin, { recursive: true });
    const log = join(project, "calls.log");
    // A stand-in, not Pulumi: it records how it was called and prints what `pulumi config
    // --show-secrets --json` prints.
    const output = {
      "whatsapp:botId": { value: "stack-bot", secret: false },
      "whatsapp:apiToken": { value: TOKENS.stack, secret: true },
    };
    writeFileSync(
      join(bin, "pulumi"),
      `#!${process.execPath}\nrequire("node:fs").writeFileSync(${JSON.stringify(log)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() }));\nconsole.log(${JSON.stringify(JSON.stringify(output))});\n`,
    );
    chmodSync(join(bin, "pulumi"), 0o755);
    // A token encrypted by Pulumi Cloud: only the pulumi CLI can read it.
    const stack = join(project, "Pulumi.staging.yaml");
    writeFileSync(stack, "config:\n  whatsapp:botId: env-bot\n  whatsapp:apiToken:\n    secure: AAABAxyz\n");
    const result = await runCli(["list", "--json", "--stack-config", stack], {
      WHATSAPP_BASE_URL: emulator.url,
      PATH: [bin, pathWithout("pulumi")].join(delimiter),
    });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toMatchObject([{ name: "from-stack" }]);
    expect(JSON.parse(readFileSync(log, "utf8"))).toEqual({
      args: ["config", "--show-secrets", "--json", "--stack", "staging"],
      cwd: project,
    });
  });

  it("reads the stack file itself, with a note, when pulumi config fails", async () => {
    const project = join(dir, "failing-pulumi");
    const bin = join(project, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, "pulumi"),
      `#!${process.execPath}\nprocess.stderr.write("error: no stack named 'dev' found\\nmore\\n");\nprocess.exit(255);\n`,
    );
    chmodSync(join(bin, "pulumi"), 0o755);
    const stack = join(project, "Pulumi.dev.yaml");
    writeFileSync(
      stack,
      `encryptionsalt: ${salt}\nconfig:\n  whatsapp:botId: stack-bot\n  whatsapp:apiToken:\n    secure: ${encryptValue(PASSPHRASE, salt, TOKENS.stack)}\n`,
    );
    const result = await runCli(["list", "--json", "--stack-config", stack], {
      WHATSAPP_BASE_URL: emulator.url,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PATH: [bin, pathWithout("pulumi")].join(delimiter),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `note: pulumi config failed (error: no stack named 'dev' found); reading ${stack} itself\n`,
    );
    expect(JSON.parse(result.stdout)).toMatchObject([{ name: "from-stack" }]);
  });

  it("answers --help on stdout with exit 0", async () => {
    const result = await runCli(["list", "--help"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^Usage: pulumi-sinch-whatsapp list/);
    expect(result.stdout).toContain("--show-secrets");
  });
});
