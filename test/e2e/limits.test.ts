/**
 * Issue 24: what one hostile list answer can cost, and the bot id rule, through every process of the
 * packed package that handles a list: the plugin (started as the Node language host starts it, its
 * Invoke of getMediaProviders and an import by Read), the program and the SDK's dynamic-provider
 * host (through the e2e driver), and the CLI's `list` and `generate`. A raw server on 127.0.0.1
 * answers every list with as many short providers as fit just under the default limit
 * (`DEFAULT_MAX_RESPONSE_BYTES`), or, for the bot `huge`, one byte more. Each process's peak resident
 * memory is its VmHWM (Linux), read before it ends.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { credentials, Client as GrpcClient, type ServiceError } from "@grpc/grpc-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_RESPONSE_BYTES } from "../../src/client/dispatcher";
import { FUNCTION_TOKEN as FUNCTION, RESOURCE_TOKEN as TYPE } from "../../src/plugin/package-schema";
import { SECRET_SIG } from "../../src/utils/pulumi-wire";
import { childOutput } from "../support/child-output";
import { startRawServer } from "../support/raw-server";
import {
  installedPluginLaunch,
  installPackage,
  nodeBinary,
  PluginHost,
  ProviderCalls,
  Stack,
  type Summary,
} from "./driver";
import { projectOf } from "./support";

const TOKEN = "limits-Token-7d3e1f09";
const PASSWORD = "limits-Pass-c41a8b2e";
const PKG = "whatsapp";
const SCOPE = { project: "limits", stack: "dev", pkg: PKG };
const LIMIT_MB = 400;
const TOO_LARGE = new RegExp(
  `over the limit of ${DEFAULT_MAX_RESPONSE_BYTES} bytes; the rest was not read\\..*raise whatsapp:maxResponseBytes \\(WHATSAPP_MAX_RESPONSE_BYTES\\)`,
);
const PRELOAD = path.join(__dirname, "fixtures", "peak-rss", "record.cjs");

/** `n` in letters: names and secrets that keep today's rules. */
function letters(n: number): string {
  let text = "";
  for (let rest = n; ; rest = Math.floor(rest / 26) - 1) {
    text = String.fromCharCode(97 + (rest % 26)) + text;
    if (rest < 26) return text;
  }
}

/** A list of as many short providers as fit in `limit` bytes, `target` last. */
function listBody(limit: number): { body: string; count: number } {
  const head = '{"settings":{"application":{"media":{"providers":[';
  const target = `{"name":"target","type":"www","config":{"basic":{"username":"svc","password":"${PASSWORD}"}}}]}}}}`;
  const parts: string[] = [];
  let size = head.length + target.length;
  for (let i = 0; ; i++) {
    const id = letters(i);
    const entry =
      i % 2 === 0
        ? `{"name":"p${id}","type":"www","config":{"bearer":"t${id}"}},`
        : `{"name":"p${id}","type":"www","config":{"basic":{"username":"u","password":"w${id}"}}},`;
    if (size + entry.length > limit) break;
    parts.push(entry);
    size += entry.length;
  }
  return { body: `${head}${parts.join("")}${target}`, count: parts.length + 1 };
}

const under = listBody(DEFAULT_MAX_RESPONSE_BYTES);
// One byte over: the same list and trailing white space (still JSON).
const over = under.body.padEnd(DEFAULT_MAX_RESPONSE_BYTES + 1, " ");

let raw: Awaited<ReturnType<typeof startRawServer>>;
let programDir: string;
let installed: string;
let work: string;
const plugins: PluginHost[] = [];

beforeAll(async () => {
  raw = await startRawServer((request, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(request.url.split("/")[3] === "huge" ? over : under.body);
  });
  programDir = (await installPackage()).dir;
  installed = path.join(programDir, "node_modules", "pulumi-sinch-whatsapp");
  work = mkdtempSync(path.join(tmpdir(), "limits-"));
});
afterEach(async () => {
  for (const plugin of plugins.splice(0)) await plugin.stop();
});
afterAll(async () => {
  await raw?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A process's peak resident memory so far, in MB (VmHWM). */
function peakMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]) / 1024;
}

let peakFiles = 0;
/** An environment that has each node process record its peak memory in a file of its own, and that file. */
function recordingPeaks(): { env: Record<string, string>; peaks: () => { argv: string[]; mb: number }[] } {
  const file = path.join(work, `peaks-${++peakFiles}.jsonl`);
  writeFileSync(file, "");
  return {
    env: { NODE_OPTIONS: `--require ${PRELOAD}`, PEAK_RSS_FILE: file },
    peaks: () =>
      readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { argv: string[]; kb: number })
        .map(({ argv, kb }) => ({ argv, mb: kb / 1024 })),
  };
}

const pluginConfig = () => ({ baseUrl: raw.url, apiToken: TOKEN, maxRetries: "0" });

/** The plugin started as the language host starts it, configured as the engine configures it. */
async function startPlugin(): Promise<{ plugin: PluginHost; calls: ProviderCalls }> {
  const plugin = await PluginHost.start(installedPluginLaunch(programDir, SCOPE, pluginConfig()));
  plugins.push(plugin);
  const calls = new ProviderCalls(plugin, SCOPE);
  await calls.configure(pluginConfig(), ["apiToken"]);
  return { plugin, calls };
}

/**
 * The plugin's Invoke answer as bytes: decoding tens of thousands of providers with google-protobuf
 * would take this test process gigabytes.
 */
function invokeBytes(plugin: PluginHost, args: Record<string, unknown>): Promise<Buffer> {
  const client = new GrpcClient(`127.0.0.1:${plugin.port}`, credentials.createInsecure(), {
    "grpc.max_receive_message_length": -1,
  });
  const request = plugin.request("InvokeRequest", { tok: FUNCTION, args: plugin.toStruct(args) });
  return new Promise<Buffer>((resolve, reject) =>
    client.makeUnaryRequest(
      "/pulumirpc.ResourceProvider/Invoke",
      (message: typeof request) => Buffer.from(message.serializeBinary()),
      (bytes: Buffer) => bytes,
      request,
      (error: ServiceError | null, bytes?: Buffer) => (error || !bytes ? reject(error) : resolve(bytes)),
    ),
  ).finally(() => client.close());
}

/** How often `text` occurs in `bytes`. */
function occurrences(bytes: Buffer, text: string): number {
  let count = 0;
  for (let at = bytes.indexOf(text); at >= 0; at = bytes.indexOf(text, at + 1)) count++;
  return count;
}

describe(`a list answer just under the default limit (${under.count} providers in ${under.body.length} bytes)`, () => {
  it("the plugin's Invoke of getMediaProviders answers every provider within 400 MB; one byte more fails naming the setting", async () => {
    const { plugin } = await startPlugin();
    const answer = await invokeBytes(plugin, { botId: "big" });
    // Each listed provider has its authType, and each credential is in a secret wrapper.
    expect(occurrences(answer, "authType")).toBe(under.count);
    expect(occurrences(answer, SECRET_SIG)).toBe(under.count);
    const peak = peakMb(plugin.host.proc.pid);
    console.log(`[limits] plugin Invoke: peak ${peak.toFixed(0)} MB`);
    expect(peak).toBeLessThan(LIMIT_MB);

    const error = (await invokeBytes(plugin, { botId: "huge" }).catch((e: unknown) => e)) as ServiceError;
    expect(error.details).toMatch(TOO_LARGE);
    expect(error.details).toContain("ERR_WHATSAPP_RESPONSE_TOO_LARGE");
  });

  it("the plugin imports one provider by id (a Read with only the id) within 400 MB; one byte more fails naming the setting", async () => {
    const { plugin, calls } = await startPlugin();
    const read = await calls.read(TYPE, "target", "big/target");
    expect(read.id).toBe("big/target");
    expect(read.outputs).toMatchObject({ botId: "big", name: "target", authType: "basic", username: "svc" });
    const peak = peakMb(plugin.host.proc.pid);
    console.log(`[limits] plugin Read: peak ${peak.toFixed(0)} MB`);
    expect(peak).toBeLessThan(LIMIT_MB);

    const error = await calls.read(TYPE, "target", "huge/target").catch((e: unknown) => e);
    expect((error as ServiceError).details).toMatch(TOO_LARGE);
    expect((error as ServiceError).details).toContain("ERR_WHATSAPP_RESPONSE_TOO_LARGE");
  });

  it("a program's getMediaProviders and MediaProvider.get (the dynamic provider host's Read) stay within 400 MB each; one byte more fails naming the setting", async () => {
    const file = path.join(programDir, "limits.js");
    writeFileSync(
      file,
      `
const { MediaProvider, getMediaProviders } = require("pulumi-sinch-whatsapp");
const target = MediaProvider.get("target", process.env.LIMITS_BOT + "/target");
exports.username = target.username;
exports.count = getMediaProviders({ botId: process.env.LIMITS_BOT }).then((r) => r.providers.length);
`,
    );
    const recording = recordingPeaks();
    const stack = new Stack({
      project: projectOf(programDir, file, "limits"),
      config: { "whatsapp:baseUrl": raw.url, "whatsapp:apiToken": TOKEN, "whatsapp:maxRetries": "0" },
      secretKeys: ["whatsapp:apiToken"],
      hostEnv: recording.env,
    });
    const ok = (s: Summary) => expect(s.failed, JSON.stringify(s.failed)).toEqual([]);
    ok(await stack.up({ env: { ...recording.env, LIMITS_BOT: "big" } }));
    expect(stack.outputs).toMatchObject({ username: "svc", count: under.count });
    const peaks = recording.peaks();
    console.log(
      `[limits] program and dynamic provider host: ${JSON.stringify(peaks.map((p) => [p.argv[0], Math.round(p.mb)]))}`,
    );
    const host = peaks.filter((p) => p.argv.some((arg) => arg.includes("dynamic-provider")));
    const program = peaks.filter((p) => !host.includes(p));
    expect(host).toHaveLength(1);
    expect(program).toHaveLength(1);
    for (const { mb } of peaks) expect(mb).toBeLessThan(LIMIT_MB);

    const failed = await stack.up({ env: { ...recording.env, LIMITS_BOT: "huge" } });
    expect(failed.failed.map((f) => f.message).join("\n")).toMatch(TOO_LARGE);
  });

  it("the CLI's list and generate stay within 400 MB; one byte more fails naming the setting", async () => {
    const cli = path.join(installed, "dist", "cli", "main.js");
    const run = (args: string[], env: Record<string, string>) =>
      childOutput(
        spawn(nodeBinary(), [cli, ...args], {
          env: {
            PATH: process.env.PATH ?? "",
            WHATSAPP_API_TOKEN: TOKEN,
            WHATSAPP_BASE_URL: raw.url,
            ...env,
          },
        }),
      );
    const recording = recordingPeaks();
    const list = await run(["list", "--bot-id", "big", "--json"], recording.env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(under.count);
    const out = path.join(work, "adopt.ts");
    const generate = await run(["generate", "--bot-id", "big", "--out", out], recording.env);
    expect(generate.code, generate.stderr).toBe(0);
    expect(occurrences(readFileSync(out), "new MediaProvider(")).toBe(under.count);
    const peaks = recording.peaks();
    console.log(`[limits] CLI list, generate: ${peaks.map((p) => Math.round(p.mb)).join(", ")} MB`);
    expect(peaks).toHaveLength(2);
    for (const { mb } of peaks) expect(mb).toBeLessThan(LIMIT_MB);

    const failed = await run(["list", "--bot-id", "huge"], {});
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(TOO_LARGE);
  });
});

describe("bot ids that are not one path segment as they are", () => {
  const BAD = ["a/b", "..", ".", "", "x%2F.."];

  it("are refused by the plugin before any request: CheckConfig, Check, Invoke, and import ids", async () => {
    const { calls } = await startPlugin();
    const seen = raw.seen.length;
    for (const botId of BAD.filter(Boolean)) {
      const config = await calls.checkConfig({ ...pluginConfig(), botId });
      expect(config.failures.map((f) => f.property)).toEqual(["botId"]);
    }
    for (const botId of BAD) {
      const { failures } = await calls.check(TYPE, "p", { botId, config: { bearer: "b" } }, {});
      expect(failures.map((f) => f.property)).toEqual(["botId"]);
      const error = await calls.invoke(FUNCTION, { botId }).catch((e: unknown) => e);
      expect((error as ServiceError).details).toMatch(/ERR_WHATSAPP_CONFIGURATION.*botId must/);
    }
    for (const id of ["bot/a/b", "bot/../x", "../x", "x%2F../cdn"]) {
      const error = await calls.read(TYPE, "imported", id).catch((e: unknown) => e);
      expect((error as ServiceError).details).toContain("ERR_WHATSAPP_INVALID_ID");
    }
    expect(raw.seen.length).toBe(seen);
    // An ordinary bot id is asked for.
    await calls.read(TYPE, "imported", "big/target");
    expect(raw.seen.length).toBe(seen + 1);
  });
});
