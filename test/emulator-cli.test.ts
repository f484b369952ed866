import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Pool, request } from "undici";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ChildOutput, childOutput } from "./support/child-output";
import { letters } from "./support/letters";

// The test runs the built CLI, as users do; `npm test` builds first.
const CLI = join(__dirname, "..", "dist", "cli", "main.js");
const TOKEN = "cli-secret-token-5f2a";

type Finished = ChildOutput;

const children: ChildProcessWithoutNullStreams[] = [];

function launch(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [CLI, ...args]);
  children.push(child);
  return child;
}

const finished = childOutput;

const runCli = (args: string[]) => finished(launch(args));

/** Starts the emulator command; resolves its base URL (the first line of stdout). */
async function startCli(
  args: string[],
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; done: Promise<Finished> }> {
  const child = launch(["emulator", ...args]);
  const lines = createInterface({ input: child.stdout });
  const firstLine = new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("close", (code) => reject(new Error(`emulator exited with ${code} before printing its URL`)));
  });
  const url = await firstLine;
  lines.close();
  return { child, url, done: finished(child) };
}

async function call(url: string, method: "GET" | "POST", body?: unknown) {
  const res = await request(`${url}/whatsapp/v1/b/provision/provider`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, text: await res.body.text() };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npx tsc -p tsconfig.build.json' first`);
});

const dirs: string[] = [];

/** A state file path in a new temporary folder, removed after the test. */
/** Posts one provider; true when the emulator acknowledged it, undefined once it is gone. */
async function postProvider(pool: Pool, name: string): Promise<boolean | undefined> {
  try {
    const res = await pool.request({
      path: "/whatsapp/v1/b/provision/provider",
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name, type: "www", config: { bearer: "x" } }),
    });
    await res.body.text();
    return res.statusCode === 200;
  } catch {
    return undefined;
  }
}

async function tempStatePath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "emulator-cli-"));
  dirs.push(dir);
  return join(dir, "state.json");
}

afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

// Each test starts one to three node processes, which take seconds each on a loaded 2-core machine.
describe("cli: emulator command", { timeout: 30_000 }, () => {
  it("prints the base URL first, serves the API, and exits 0 on SIGTERM without printing the token", async () => {
    const { child, url, done } = await startCli(["--port", "0", "--bot", `b:${TOKEN}`]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await call(url, "POST", { name: "media", type: "www", config: { bearer: "x" } })).status).toBe(
      200,
    );
    const listed = await call(url, "GET");
    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.text).settings.application.media.providers).toHaveLength(1);
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(0);
    expect(`${url}\n${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  });

  it("saves state on SIGINT and loads it on the next start", async () => {
    const statePath = await tempStatePath();
    const first = await startCli(["--bot", `b:${TOKEN}`, "--state", statePath]);
    await call(first.url, "POST", {
      name: "kept",
      type: "www",
      config: { basic: { username: "u", password: "p" } },
    });
    first.child.kill("SIGINT");
    expect((await first.done).code).toBe(0);
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(statePath, "utf8")).bots.b[0].name).toBe("kept");

    const second = await startCli(["--bot", `b:${TOKEN}`, "--state", statePath]);
    expect(
      JSON.parse((await call(second.url, "GET")).text).settings.application.media.providers[0].name,
    ).toBe("kept");
    second.child.kill("SIGTERM");
    expect((await second.done).code).toBe(0);
  });

  it("answers a write only once it is in the state file: kill -9 during concurrent writes loses none", async () => {
    const statePath = await tempStatePath();
    const { child, url, done } = await startCli(["--bot", `b:${TOKEN}`, "--state", statePath]);
    const writers = new Pool(url, { connections: 32 });
    const acknowledged: string[] = [];
    let killed = false;
    // Each writer posts one provider after another until the emulator is killed mid-stream.
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        const name = `w_${letters(w)}_${letters(i)}`;
        const ok = await postProvider(writers, name);
        if (ok === undefined) return;
        if (ok) acknowledged.push(name);
        if (acknowledged.length >= 300) killOnce();
      }
    };
    const killOnce = () => {
      if (killed) return;
      killed = true;
      child.kill("SIGKILL");
    };
    await Promise.all(Array.from({ length: 32 }, (_, w) => writer(w)));
    expect((await done).signal).toBe("SIGKILL");
    await writers.destroy();
    const saved = new Set(
      JSON.parse(await readFile(statePath, "utf8")).bots.b.map((entry: { name: string }) => entry.name),
    );
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    expect(acknowledged.filter((name) => !saved.has(name))).toEqual([]);
  });

  it("refuses a second emulator on the same --state file, and starts again after a kill -9", async () => {
    const statePath = await tempStatePath();
    const first = await startCli(["--bot", `b:${TOKEN}`, "--state", statePath]);
    const second = await runCli(["emulator", "--bot", `b:${TOKEN}`, "--state", statePath]);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe("");
    expect(second.stderr).toMatch(/state file .*state\.json is in use by another emulator \(pid \d+\)/);
    expect(second.stderr).not.toContain(TOKEN);

    // A lock left by a process that no longer runs is stale: the next emulator takes over.
    first.child.kill("SIGKILL");
    await first.done;
    const third = await startCli(["--bot", `b:${TOKEN}`, "--state", statePath]);
    expect((await call(third.url, "GET")).status).toBe(200);
    third.child.kill("SIGTERM");
    expect((await third.done).code).toBe(0);
  });

  it("serves bots named __proto__ and constructor with their tokens", async () => {
    const { child, url, done } = await startCli([
      "--bot",
      "__proto__:proto-token",
      "--bot",
      "constructor:ctor-token",
    ]);
    const get = async (bot: string, token: string) => {
      const res = await request(`${url}/whatsapp/v1/${bot}/provision/provider`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.body.text();
      return res.statusCode;
    };
    expect(await get("__proto__", "proto-token")).toBe(200);
    expect(await get("constructor", "ctor-token")).toBe(200);
    expect(await get("__proto__", "ctor-token")).toBe(401);
    child.kill("SIGTERM");
    expect((await done).code).toBe(0);
  });

  it("applies fault flags", async () => {
    const { child, url, done } = await startCli([
      "--bot",
      `b:${TOKEN}`,
      "--rate-503",
      "1",
      "--retry-after",
      "3",
    ]);
    const res = await request(`${url}/whatsapp/v1/b/provision/provider`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    await res.body.text();
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("3");
    child.kill("SIGTERM");
    expect((await done).code).toBe(0);
  });

  it.each([
    [["--port", "abc", "--bot", "b:t"], /--port must be a whole number/],
    [["--port", "70000", "--bot", "b:t"], /--port: /],
    [[], /at least one --bot/],
    [["--bot", "no-colon"], /--bot must be <botId>:<token>/],
    [["--bot", "b:"], /--bot must be <botId>:<token>/],
    [["--bot", "b:t", "--bot", "b:u"], /given twice/],
    [["--bot", "b:t", "--rate-429", "1.5"], /--rate-429: /],
    [["--bot", "b:t", "--rate-429", "0.6", "--rate-503", "0.6"], /add up to at most 1/],
    [["--bot", "b:t", "--drop-rate", "x"], /--drop-rate must be a number/],
    [["--bot", "b:t", "--max-concurrent", "0"], /--max-concurrent: /],
    [["--bot", "b:t", "--seed", "1.5"], /--seed must be a whole number/],
    [["--bot", "b:t", "--nope"], /Unknown option '--nope'/],
    [["--bot", "b:t", "--port"], /--port/],
    [["b:t"], /unexpected argument/],
    [["--bot", "a b:t"], /--bot: bot id "a b" cannot be carried/],
    [["--bot", "..:t"], /--bot: bot id "\.\." cannot be carried/],
  ])("exits 2 with one line on stderr for %j", async (args, message) => {
    const result = await runCli(["emulator", ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^pulumi-sinch-whatsapp emulator: /);
  });

  it("never quotes a token in a usage error", async () => {
    const result = await runCli(["emulator", `b:${TOKEN}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it("exits 1 when the port is taken", async () => {
    const { child, url, done } = await startCli(["--bot", `b:${TOKEN}`]);
    const port = new URL(url).port;
    const result = await runCli(["emulator", "--bot", "b:t", "--port", port]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/EADDRINUSE/);
    child.kill("SIGTERM");
    await done;
  });

  it("prints its help with --help and exits 0", async () => {
    const result = await runCli(["emulator", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: pulumi-sinch-whatsapp emulator/);
    expect(result.stdout).toContain("--max-concurrent");
  });
});

describe("cli: dispatcher", () => {
  it("lists the commands with --help and exits 0", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: pulumi-sinch-whatsapp <command>/);
    expect(result.stdout).toMatch(/\n {2}emulator +\S/);
  });

  it("prints the help on stderr and exits 2 without a command", async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Usage: /);
  });

  it("exits 2 with one line for an unknown command", async () => {
    const result = await runCli(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^pulumi-sinch-whatsapp: unknown command 'frobnicate'; commands: .*emulator/,
    );
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
