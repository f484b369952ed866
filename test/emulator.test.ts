import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, EmulatorError, type EmulatorOptions, startEmulator } from "../src/emulator";
import { WhatsAppError } from "../src/errors";
import type { MediaProviderEntry } from "../src/types/media-provider";
import { letters } from "./support/letters";

const BOT = "bot-a";
const TOKEN = "token-a-0123456789";
const OTHER_BOT = "bot-b";
const OTHER_TOKEN = "token-b-9876543210";
const PASSWORD = "S3cret-Password!";

const basic = (name: string, password = PASSWORD): MediaProviderEntry => ({
  name,
  type: "www",
  config: { basic: { username: "user", password } },
});
const bearer = (name: string, token = "bearer-secret"): MediaProviderEntry => ({
  name,
  type: "www",
  config: { bearer: token },
});

interface CallOptions {
  token?: string | null;
  authorization?: string;
  body?: unknown;
  rawBody?: string;
  contentType?: string | null;
  bot?: string;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

let emulator: Emulator;
const started: Emulator[] = [];

async function start(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const emu = await startEmulator({ bots: { [BOT]: TOKEN, [OTHER_BOT]: OTHER_TOKEN }, ...options });
  started.push(emu);
  return emu;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((emu) => emu.close()));
});

function providersPath(bot = BOT): string {
  return `/whatsapp/v1/${bot}/provision/provider`;
}

async function call(method: string, path: string, options: CallOptions = {}, emu = emulator): Promise<Reply> {
  const headers: Record<string, string> = {};
  const bot = options.bot ?? BOT;
  const token = options.token === undefined ? (bot === OTHER_BOT ? OTHER_TOKEN : TOKEN) : options.token;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && options.contentType !== null) {
    headers["content-type"] = options.contentType ?? "application/json";
  }
  const res = await request(`${emu.url}${path}`, { method: method as "GET", headers, body });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

const post = (entry: unknown, options: CallOptions = {}, emu = emulator) =>
  call("POST", providersPath(options.bot), { ...options, body: entry }, emu);
const list = (options: CallOptions = {}, emu = emulator) =>
  call("GET", providersPath(options.bot), options, emu);
const remove = (name: string, options: CallOptions = {}, emu = emulator) =>
  call("DELETE", `${providersPath(options.bot)}/${encodeURIComponent(name)}`, options, emu);

async function listed(options: CallOptions = {}, emu = emulator): Promise<MediaProviderEntry[]> {
  const reply = await list(options, emu);
  expect(reply.status).toBe(200);
  return JSON.parse(reply.text).settings.application.media.providers;
}

function errorBody(reply: Reply): { message: string; details: string } {
  expect(reply.headers["content-type"]).toBe("application/json");
  const body = JSON.parse(reply.text);
  expect(Object.keys(body).sort()).toEqual(["details", "message"]);
  expect(typeof body.message).toBe("string");
  expect(typeof body.details).toBe("string");
  return body;
}

describe("emulator: provision endpoints", () => {
  beforeEach(async () => {
    emulator = await start();
  });

  it("answers a POST with 200 and an empty body, and lists the provider with secrets in clear", async () => {
    const reply = await post(basic("media_one"));
    expect(reply).toMatchObject({ status: 200, text: "" });
    expect(reply.headers["content-length"]).toBe("0");
    const got = await list();
    expect(got.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(got.text)).toEqual({
      settings: { application: { media: { providers: [basic("media_one")] } } },
    });
  });

  it("lists an empty list for a bot without providers", async () => {
    expect(await listed()).toEqual([]);
  });

  it("overwrites on name reuse in place and appends new names", async () => {
    await post(basic("first"));
    await post(bearer("second"));
    await post(basic("third"));
    expect((await post(bearer("first", "replaced"))).status).toBe(200);
    expect(await listed()).toEqual([bearer("first", "replaced"), bearer("second"), basic("third")]);
  });

  it("drops unknown top-level fields rather than storing them", async () => {
    await post({ ...bearer("extra"), note: "ignored" });
    expect(await listed()).toEqual([bearer("extra")]);
  });

  it("deletes a provider with 200 and an empty body, and answers 200 for a missing name", async () => {
    await post(basic("keep"));
    await post(basic("gone"));
    expect(await remove("gone")).toMatchObject({ status: 200, text: "" });
    expect(await listed()).toEqual([basic("keep")]);
    expect(await remove("never-existed")).toMatchObject({ status: 200, text: "" });
    expect(await listed()).toEqual([basic("keep")]);
  });

  it("URL-decodes the name in DELETE", async () => {
    emulator.setProvider(BOT, bearer("legacy name 2019"));
    await post(bearer("plain_name"));
    expect((await call("DELETE", `${providersPath()}/legacy%20name%202019`)).status).toBe(200);
    expect((await call("DELETE", `${providersPath()}/%70lain%5Fname`)).status).toBe(200);
    expect(await listed()).toEqual([]);
  });

  it("keeps each bot's providers apart", async () => {
    await post(basic("shared_name"));
    await post(bearer("shared_name"), { bot: OTHER_BOT });
    await post(bearer("only_b"), { bot: OTHER_BOT });
    expect(await listed()).toEqual([basic("shared_name")]);
    expect(await listed({ bot: OTHER_BOT })).toEqual([bearer("shared_name"), bearer("only_b")]);
    await remove("shared_name", { bot: OTHER_BOT });
    expect(await listed()).toEqual([basic("shared_name")]);
  });

  describe("401", () => {
    const cases: Array<[string, CallOptions]> = [
      ["no Authorization header", { token: null }],
      ["a Basic header", { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString("base64")}` }],
      ["Bearer without a token", { authorization: "Bearer " }],
      ["a wrong token", { token: "wrong-token" }],
      ["another bot's token", { token: OTHER_TOKEN }],
      ["an unknown bot", { bot: "unknown-bot", token: TOKEN }],
    ];
    it.each(cases)("answers 401 for %s, on every endpoint, without changing anything", async (_, options) => {
      emulator.setProvider(BOT, bearer("existing"));
      for (const reply of [
        await list(options),
        await post(bearer("new_one"), options),
        await remove("existing", options),
      ]) {
        expect(reply.status).toBe(401);
        const body = errorBody(reply);
        expect(body.message).toBe("Unauthorized");
        expect(reply.text).not.toContain(TOKEN);
        expect(reply.text).not.toContain(OTHER_TOKEN);
      }
      expect(emulator.providers(BOT)).toEqual([bearer("existing")]);
    });

    it("says why: missing header, malformed header, or wrong credentials/region", async () => {
      expect(errorBody(await list({ token: null })).details).toMatch(/missing Authorization/);
      expect(errorBody(await list({ authorization: "Token abc" })).details).toMatch(/Bearer <token>/);
      expect(errorBody(await list({ token: "nope" })).details).toMatch(/credentials.*region/);
    });

    it("accepts the scheme in any case", async () => {
      expect((await list({ authorization: `bearer ${TOKEN}` })).status).toBe(200);
    });
  });

  describe("400", () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ["a name with digits", bearer("media1"), /^name: .*no digits/],
      ["a name with a space", bearer("my media"), /^name: /],
      ["an empty name", bearer(""), /^name: must not be empty/],
      ["a 201-character name", bearer("a".repeat(201)), /^name: must be at most 200 characters/],
      ["a missing name", { type: "www", config: { bearer: "x" } }, /^name: /],
      ["a wrong type", { ...bearer("media"), type: "ftp" }, /^type: .*"www"/],
      ["a missing type", { name: "media", config: { bearer: "x" } }, /^type: /],
      [
        "both basic and bearer",
        { ...basic("media"), config: { ...basic("m").config, bearer: "x" } },
        /^config: must hold exactly one of basic/,
      ],
      ["neither basic nor bearer", { ...basic("media"), config: {} }, /^config: must hold exactly one of/],
      ["a config that is a string", { ...basic("media"), config: "bearer" }, /^config: .*object/],
      ["a missing config", { name: "media", type: "www" }, /^config: /],
      [
        "basic without a password",
        { ...basic("media"), config: { basic: { username: "u" } } },
        /^config\.basic\.password: /,
      ],
      [
        "basic with an extra field",
        { ...basic("media"), config: { basic: { username: "u", password: "p", x: 1 } } },
        /^config\.basic: .*"x"/,
      ],
      [
        "a bearer that is not a string",
        { ...basic("media"), config: { bearer: 42 } },
        /^config\.bearer: .*string/,
      ],
      ["an empty bearer", bearer("media", ""), /^config\.bearer: must not be empty/],
      ["an array body", [bearer("media")], /^body: .*object/],
      ["a null body", null, /^body: /],
    ];
    it.each(cases)("rejects %s and stores nothing", async (_, entry, details) => {
      const reply = await post(entry);
      expect(reply.status).toBe(400);
      const body = errorBody(reply);
      expect(body.message).toBe("Bad Request");
      expect(body.details).toMatch(details);
      expect(emulator.providers(BOT)).toEqual([]);
    });

    it("says once that an empty name is empty", async () => {
      expect(errorBody(await post(bearer(""))).details).toBe("name: must not be empty");
    });

    it("names every broken field at once", async () => {
      const body = errorBody(await post({ name: "m1", type: "x", config: { bearer: "" } }));
      expect(body.details).toMatch(/name: .*; type: .*; config\.bearer: /);
    });

    it("rejects invalid JSON without quoting the body", async () => {
      const reply = await call("POST", providersPath(), {
        rawBody: `{"name":"m","config":{"bearer":"${PASSWORD}"`,
      });
      expect(reply.status).toBe(400);
      expect(errorBody(reply).details).toBe("the body is not valid JSON");
      expect(reply.text).not.toContain(PASSWORD);
    });

    it("rejects an empty body", async () => {
      const reply = await call("POST", providersPath(), { rawBody: "" });
      expect(errorBody(reply).details).toBe("the body is not valid JSON");
    });

    it.each([
      ["text/plain", "text/plain"],
      ["no Content-Type", null],
    ])("rejects %s even when the body is JSON", async (_, contentType) => {
      const reply = await call("POST", providersPath(), {
        rawBody: JSON.stringify(bearer("m")),
        contentType,
      });
      expect(reply.status).toBe(400);
      expect(errorBody(reply).details).toMatch(/Content-Type must be application\/json/);
    });

    it("accepts application/json with a charset", async () => {
      const reply = await call("POST", providersPath(), {
        rawBody: JSON.stringify(bearer("m")),
        contentType: "Application/JSON; charset=utf-8",
      });
      expect(reply.status).toBe(200);
    });

    it("rejects a path with broken percent-encoding", async () => {
      const reply = await call("DELETE", `${providersPath()}/bad%zz`);
      expect(reply.status).toBe(400);
      errorBody(reply);
    });

    it("never echoes a password in validation details", async () => {
      const reply = await post({
        name: "bad1",
        type: "www",
        config: { basic: { username: "u", password: PASSWORD }, bearer: PASSWORD },
      });
      expect(reply.status).toBe(400);
      expect(reply.text).not.toContain(PASSWORD);
    });
  });

  it("answers 413 for a body over 1 MiB and keeps the connection usable", async () => {
    const reply = await call("POST", providersPath(), { rawBody: `"${"x".repeat(1024 * 1024 + 10)}"` });
    expect(reply.status).toBe(413);
    errorBody(reply);
    expect((await list()).status).toBe(200);
  });

  it.each([
    ["GET", "/"],
    ["GET", "/whatsapp/v1"],
    ["GET", "/whatsapp/v1//provision/provider"],
    ["GET", "/whatsapp/v2/bot-a/provision/provider"],
    ["GET", "/whatsapp/v1/bot-a/provision"],
    ["GET", "/whatsapp/v1/bot-a/provision/providers"],
    ["DELETE", "/whatsapp/v1/bot-a/provision/provider/"],
    ["DELETE", "/whatsapp/v1/bot-a/provision/provider/a/b"],
  ])("answers 404 with the error object for %s %s", async (method, path) => {
    const reply = await call(method, path);
    expect(reply.status).toBe(404);
    expect(errorBody(reply).message).toBe("Not Found");
  });

  it.each([
    ["PUT", providersPath(), "GET, POST"],
    ["DELETE", providersPath(), "GET, POST"],
    ["PATCH", providersPath(), "GET, POST"],
    ["GET", `${providersPath()}/name`, "DELETE"],
    ["POST", `${providersPath()}/name`, "DELETE"],
  ])("answers 405 for %s %s with Allow", async (method, path, allow) => {
    const reply = await call(method, path);
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe(allow);
    expect(errorBody(reply).message).toBe("Method Not Allowed");
  });

  it("ignores the query string", async () => {
    expect((await call("GET", `${providersPath()}?x=1`)).status).toBe(200);
  });

  it("keeps connections alive across requests", async () => {
    const client = new Client(emulator.url);
    let connects = 0;
    client.on("connect", () => connects++);
    try {
      for (let i = 0; i < 5; i++) {
        const res = await client.request({
          method: "GET",
          path: providersPath(),
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(res.statusCode).toBe(200);
        await res.body.text();
      }
      expect(connects).toBe(1);
    } finally {
      await client.close();
    }
  });

  it("closes a keep-alive connection and one with a request in flight itself, without waiting for them", async () => {
    // Clients that would keep their connections far longer than the test's own timeout: only the
    // emulator can end them, and close() ends only once they are.
    const keepAlive = { keepAliveTimeout: 600_000, keepAliveMaxTimeout: 600_000 };
    const idle = new Client(emulator.url, keepAlive);
    const busy = new Client(emulator.url, keepAlive);
    const ended = [idle, busy].map(
      (client) =>
        new Promise<Error>((resolve) => client.once("disconnect", (_, __, error) => resolve(error))),
    );
    try {
      const request = (client: Client) =>
        client.request({
          method: "GET",
          path: providersPath(),
          headers: { authorization: `Bearer ${TOKEN}` },
        });
      await (await request(idle)).body.text();
      emulator.setFaults({ latencyMs: 600_000 });
      const pending = request(busy).then(
        () => "answered",
        (error: Error) => error.message,
      );
      while (emulator.counters().requests < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      await emulator.close();
      expect((await Promise.all(ended)).map((error) => error.message)).toEqual([
        "other side closed",
        "other side closed",
      ]);
      expect(await pending).toBe("other side closed");
    } finally {
      await Promise.all([idle.destroy(), busy.destroy()]);
    }
  });
});

describe("emulator: test helpers", () => {
  beforeEach(async () => {
    emulator = await start();
  });

  it("providers() returns a copy", async () => {
    await post(basic("media"));
    const copy = emulator.providers(BOT);
    (copy[0] as MediaProviderEntry).name = "changed";
    copy.push(bearer("added"));
    expect(emulator.providers(BOT)).toEqual([basic("media")]);
  });

  it("setProvider() and removeProvider() change state behind the API's back", async () => {
    const entry = basic("drifted", "old-password");
    emulator.setProvider(BOT, entry);
    entry.name = "mutated_after";
    expect(await listed()).toEqual([basic("drifted", "old-password")]);
    emulator.setProvider(BOT, basic("drifted", "changed-by-hand"));
    expect(await listed()).toEqual([basic("drifted", "changed-by-hand")]);
    expect(emulator.removeProvider(BOT, "drifted")).toBe(true);
    expect(emulator.removeProvider(BOT, "drifted")).toBe(false);
    expect(await listed()).toEqual([]);
  });

  it("throws for an unknown bot", () => {
    expect(() => emulator.providers("nope")).toThrow(/unknown bot "nope"/);
    expect(() => emulator.setProvider("nope", bearer("x"))).toThrow(/unknown bot/);
    expect(() => emulator.removeProvider("nope", "x")).toThrow(/unknown bot/);
  });
});

describe("emulator: options", () => {
  it("listens on 127.0.0.1 and a free port by default, with a URL without trailing slash", async () => {
    const emu = await start();
    expect(emu.port).toBeGreaterThan(0);
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
  });

  it.each([
    [{ bots: { b: "" } }, /bots\.b: a token must be non-empty/],
    [{ bots: { b: "has space" } }, /no whitespace/],
    [{ bots: { "": "t" } }, /bot id must not be empty/],
    [{ bots: { b: "t" }, port: 70000 }, /port: /],
    [{ bots: { b: "t" }, faults: { rate503: 1.5 } }, /faults\.rate503: /],
    [{ bots: { b: "t" }, faults: { rate503: 0.6, rate429: 0.6 } }, /add up to at most 1/],
    [{ bots: { b: "t" }, faults: { script: ["500"] } }, /faults\.script\.0: /],
  ] as Array<[EmulatorOptions, RegExp]>)("rejects invalid options %#", async (options, message) => {
    await expect(startEmulator(options)).rejects.toThrow(message);
  });

  it.each([".", "..", "a/b", "a b", "a%2Fb", "a?b", "a#b", "a\\b", "bot\t"])(
    "refuses at start a bot id the API path cannot carry as is: %j",
    async (botId) => {
      const error = await startEmulator({ bots: { [botId]: "t" } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmulatorError);
      expect(error).toBeInstanceOf(WhatsAppError);
      expect(error).toMatchObject({ code: "ERR_WHATSAPP_EMULATOR_OPTIONS" });
      expect((error as Error).message).toContain(`bot id ${JSON.stringify(botId)} cannot be carried`);
    },
  );

  it("serves bots named __proto__ and constructor with their own tokens", async () => {
    emulator = await start({
      bots: Object.fromEntries([
        ["__proto__", "proto-token"],
        ["constructor", "ctor-token"],
      ]),
    });
    expect((await list({ bot: "__proto__", token: "proto-token" })).status).toBe(200);
    expect((await post(bearer("m"), { bot: "constructor", token: "ctor-token" })).status).toBe(200);
    expect((await list({ bot: "__proto__", token: "ctor-token" })).status).toBe(401);
    expect(emulator.providers("constructor")).toEqual([bearer("m")]);
    expect(emulator.providers("__proto__")).toEqual([]);
    expect(Object.keys(emulator.counters().maxConcurrentByBot).sort()).toEqual(["__proto__", "constructor"]);
  });

  it("throws typed errors with codes", async () => {
    await expect(startEmulator({ bots: {} as Record<string, string>, port: -1 })).rejects.toMatchObject({
      name: "EmulatorError",
      code: "ERR_WHATSAPP_EMULATOR_OPTIONS",
    });
    const emu = await start();
    expect(() => emu.setFaults({ rate429: 2 })).toThrow(
      expect.objectContaining({
        code: "ERR_WHATSAPP_EMULATOR_OPTIONS",
        message: expect.stringMatching(/rate429/),
      }),
    );
    expect(() => emu.providers("nope")).toThrow(
      expect.objectContaining({ code: "ERR_WHATSAPP_EMULATOR_UNKNOWN_BOT" }),
    );
    await expect(startEmulator({ bots: { b: "t" }, port: emu.port })).rejects.toMatchObject({
      code: "ERR_WHATSAPP_EMULATOR_LISTEN",
    });
  });

  it("never puts a token in an options error", async () => {
    await expect(startEmulator({ bots: { b: "secret token" } })).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("secret") }),
    );
  });

  it("rejects a port in use", async () => {
    const emu = await start();
    await expect(startEmulator({ bots: { b: "t" }, port: emu.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe("emulator: faults", () => {
  beforeEach(async () => {
    emulator = await start();
  });

  it("plays a script one step per request, then answers normally", async () => {
    emulator.setFaults({ script: ["503", "429", "drop", "dropAfterWrite", "ok", "dropAfterWrite"] });
    const first = await list();
    expect(first.status).toBe(503);
    expect(first.headers["retry-after"]).toBe("0");
    expect(errorBody(first).message).toBe("Service Unavailable");
    const second = await list();
    expect(second.status).toBe(429);
    expect(second.headers["retry-after"]).toBe("0");
    await expect(post(bearer("dropped"))).rejects.toThrow();
    expect(emulator.providers(BOT)).toEqual([]);
    await expect(post(bearer("written"))).rejects.toThrow();
    expect(emulator.providers(BOT)).toEqual([bearer("written")]);
    expect((await post(bearer("normal"))).status).toBe(200);
    await expect(remove("written")).rejects.toThrow();
    expect(emulator.providers(BOT)).toEqual([bearer("normal")]);
    expect((await list()).status).toBe(200);
    expect(emulator.counters().faults).toEqual({
      "429": 1,
      "503": 1,
      drop: 1,
      dropAfterWrite: 2,
      lostWrite: 0,
      concurrency429: 0,
    });
  });

  it("sends the configured Retry-After, fractions included", async () => {
    emulator.setFaults({ script: ["429", "503"], retryAfterSeconds: 0.25 });
    expect((await list()).headers["retry-after"]).toBe("0.25");
    expect((await list()).headers["retry-after"]).toBe("0.25");
  });

  it("answers every request 429 or 503 at rate 1", async () => {
    emulator.setFaults({ rate429: 1 });
    const reply = await post(bearer("m"));
    expect(reply.status).toBe(429);
    expect(errorBody(reply).message).toBe("Too Many Requests");
    emulator.setFaults({ rate503: 1, retryAfterSeconds: 2 });
    const down = await remove("m");
    expect(down.status).toBe(503);
    expect(down.headers["retry-after"]).toBe("2");
    expect(emulator.providers(BOT)).toEqual([]);
  });

  it("drops before applying at dropRate 1", async () => {
    emulator.setFaults({ dropRate: 1 });
    await expect(post(bearer("m"))).rejects.toThrow();
    await expect(list()).rejects.toThrow();
    expect(emulator.providers(BOT)).toEqual([]);
    expect(emulator.counters().faults.drop).toBe(2);
    expect(emulator.counters().byStatus).toEqual({});
  });

  it("applies writes, then drops them, at dropAfterWriteRate 1; reads are untouched", async () => {
    emulator.setFaults({ dropAfterWriteRate: 1 });
    await expect(post(bearer("m"))).rejects.toThrow();
    expect(emulator.providers(BOT)).toEqual([bearer("m")]);
    expect(await listed()).toEqual([bearer("m")]);
    await expect(remove("m")).rejects.toThrow();
    expect(emulator.providers(BOT)).toEqual([]);
    expect(emulator.counters().faults.dropAfterWrite).toBe(2);
  });

  it("answers writes 200 without applying them at lostWriteRate 1; reads are untouched", async () => {
    emulator.setProvider(BOT, bearer("kept"));
    emulator.setFaults({ lostWriteRate: 1 });
    expect((await post(bearer("m"))).status).toBe(200);
    expect((await remove("kept")).status).toBe(200);
    expect(await listed()).toEqual([bearer("kept")]);
    expect(emulator.counters().faults.lostWrite).toBe(2);
  });

  it("draws random faults reproducibly from the seed, at about the configured shares", async () => {
    const run = async (): Promise<number[]> => {
      emulator.setFaults({ rate429: 0.2, rate503: 0.3, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push((await list()).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const count = (status: number) => first.filter((s) => s === status).length;
    expect(count(429)).toBeGreaterThan(20);
    expect(count(429)).toBeLessThan(60);
    expect(count(503)).toBeGreaterThan(40);
    expect(count(503)).toBeLessThan(80);
    expect(count(200)).toBe(200 - count(429) - count(503));
    emulator.setFaults({ rate429: 0.2, rate503: 0.3, seed: 7 });
    const other: number[] = [];
    for (let i = 0; i < 200; i++) other.push((await list()).status);
    expect(other).not.toEqual(first);
  });

  it("adds latency before answering", async () => {
    emulator.setFaults({ latencyMs: 120 });
    const began = performance.now();
    expect((await list()).status).toBe(200);
    expect(performance.now() - began).toBeGreaterThanOrEqual(115);
  });

  it("answers 429 beyond maxConcurrentPerBot, per bot", async () => {
    emulator.setFaults({ maxConcurrentPerBot: 2, latencyMs: 150, retryAfterSeconds: 1 });
    const replies = await Promise.all([
      ...Array.from({ length: 5 }, () => list()),
      list({ bot: OTHER_BOT }),
      list({ bot: OTHER_BOT }),
    ]);
    const forBot = replies.slice(0, 5).map((r) => r.status);
    expect(forBot.filter((s) => s === 200)).toHaveLength(2);
    expect(forBot.filter((s) => s === 429)).toHaveLength(3);
    expect(replies.slice(5).map((r) => r.status)).toEqual([200, 200]);
    const limited = replies.find((r) => r.status === 429);
    expect(limited?.headers["retry-after"]).toBe("1");
    expect(errorBody(limited as Reply).details).toMatch(/concurrent/);
    const counters = emulator.counters();
    expect(counters.faults.concurrency429).toBe(3);
    expect(counters.maxConcurrentByBot).toEqual({ [BOT]: 5, [OTHER_BOT]: 2 });
  });

  it("applies faults only to the provision endpoints", async () => {
    emulator.setFaults({ rate503: 1 });
    expect((await call("GET", "/health")).status).toBe(404);
    expect((await call("PUT", providersPath())).status).toBe(405);
    expect((await list()).status).toBe(503);
  });

  it("setFaults({}) turns every fault off", async () => {
    emulator.setFaults({ rate503: 1, script: ["429"] });
    emulator.setFaults({});
    expect((await list()).status).toBe(200);
  });

  it("rejects invalid faults with a readable error and keeps the old ones", async () => {
    emulator.setFaults({ rate503: 1 });
    expect(() => emulator.setFaults({ dropRate: -0.1 })).toThrow(/invalid faults: dropRate: /);
    expect(() => emulator.setFaults({ latencyMs: -1 })).toThrow(/latencyMs/);
    expect(() => emulator.setFaults({ maxConcurrentPerBot: 1.5 })).toThrow(/maxConcurrentPerBot/);
    expect((await list()).status).toBe(503);
  });

  it("takes faults at start", async () => {
    const emu = await start({ faults: { script: ["503"] } });
    expect((await list({}, emu)).status).toBe(503);
    expect((await list({}, emu)).status).toBe(200);
  });
});

describe("emulator: counters", () => {
  beforeEach(async () => {
    emulator = await start();
  });

  it("counts requests, methods, statuses, body bytes and concurrency, and resets", async () => {
    const replies = [
      await post(bearer("m")),
      await list(),
      await list({ token: "wrong" }),
      await remove("m"),
      await call("GET", "/nope"),
    ];
    const counters = emulator.counters();
    expect(counters.requests).toBe(5);
    expect(counters.byMethod).toEqual({ POST: 1, GET: 3, DELETE: 1 });
    expect(counters.byStatus).toEqual({ "200": 3, "401": 1, "404": 1 });
    expect(counters.bytesSent).toBe(replies.reduce((sum, r) => sum + Buffer.byteLength(r.text), 0));
    expect(counters.maxConcurrentByBot).toEqual({ [BOT]: 1 });
    expect(counters.faults).toEqual({
      "429": 0,
      "503": 0,
      drop: 0,
      dropAfterWrite: 0,
      lostWrite: 0,
      concurrency429: 0,
    });
    expect(counters.stateWrites).toBe(0);

    counters.requests = 1000;
    expect(emulator.counters().requests).toBe(5);
    emulator.resetCounters();
    expect(emulator.counters()).toEqual({
      requests: 0,
      byMethod: {},
      byStatus: {},
      faults: { "429": 0, "503": 0, drop: 0, dropAfterWrite: 0, lostWrite: 0, concurrency429: 0 },
      bytesSent: 0,
      maxConcurrentByBot: {},
      stateWrites: 0,
      messages: { delivered: 0, failed: 0, downloads: 0 },
    });
  });
});

describe("emulator: persistence", () => {
  let dir: string;
  let statePath: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "emulator-state-"));
    statePath = join(dir, "state.json");
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((emu) => emu.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps providers across a restart, in order, in a 0600 file", async () => {
    emulator = await start({ statePath });
    await post(basic("first"));
    await post(bearer("second"));
    await post(bearer("second", "overwritten"));
    await post(bearer("other"), { bot: OTHER_BOT });
    await emulator.close();
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);

    const again = await start({ statePath });
    expect(await listed({}, again)).toEqual([basic("first"), bearer("second", "overwritten")]);
    expect(await listed({ bot: OTHER_BOT }, again)).toEqual([bearer("other")]);
    await remove("first", {}, again);
    await again.close();
    const third = await start({ statePath });
    expect(third.providers(BOT)).toEqual([bearer("second", "overwritten")]);
  });

  it("answers a write only once it is in the state file", async () => {
    emulator = await start({ statePath });
    expect((await post(bearer("m"))).status).toBe(200);
    expect(JSON.parse(await readFile(statePath, "utf8")).bots[BOT]).toEqual([bearer("m")]);
    expect((await remove("m")).status).toBe(200);
    expect(JSON.parse(await readFile(statePath, "utf8")).bots[BOT]).toEqual([]);
  });

  it("refuses a second emulator on the same state file until the first one closes", async () => {
    emulator = await start({ statePath });
    const error = await startEmulator({ bots: { [BOT]: TOKEN }, statePath }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmulatorError);
    expect(error).toMatchObject({ code: "ERR_WHATSAPP_EMULATOR_STATE_LOCKED" });
    expect((error as Error).message).toBe(
      `state file ${statePath} is in use by another emulator (pid ${process.pid}); stop that one or use another state file (if no emulator runs, delete ${statePath}.lock)`,
    );
    await emulator.close();
    expect(await readdir(dir)).toEqual([]);
    const next = await start({ statePath });
    expect((await list({}, next)).status).toBe(200);
  });

  it("takes over a lock left by a process that no longer runs", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(`${statePath}.lock`, `${dead}\n`);
    emulator = await start({ statePath });
    expect((await post(bearer("m"))).status).toBe(200);
    expect(await readFile(`${statePath}.lock`, "utf8")).toBe(`${process.pid}\n`);
  });

  it("keeps bots named __proto__ and constructor across a restart", async () => {
    const bots = Object.fromEntries([
      ["__proto__", "proto-token"],
      ["constructor", "ctor-token"],
    ]);
    emulator = await start({ bots, statePath });
    await post(bearer("proto"), { bot: "__proto__", token: "proto-token" });
    await post(bearer("ctor"), { bot: "constructor", token: "ctor-token" });
    await emulator.close();
    const again = await start({ bots, statePath });
    expect(again.providers("__proto__")).toEqual([bearer("proto")]);
    expect(again.providers("constructor")).toEqual([bearer("ctor")]);
  });

  it("writes after changes without waiting for close, and flushState() waits for it", async () => {
    emulator = await start({ statePath });
    await post(bearer("m"));
    await emulator.flushState();
    const saved = JSON.parse(await readFile(statePath, "utf8"));
    expect(saved).toEqual({ version: 1, bots: { [BOT]: [bearer("m")], [OTHER_BOT]: [] } });
    expect(emulator.counters().stateWrites).toBe(1);
  });

  it("coalesces changes made together into one write", async () => {
    emulator = await start({ statePath });
    for (let i = 0; i < 1000; i++) emulator.setProvider(BOT, bearer(`m_${letters(i)}`));
    await emulator.flushState();
    expect(emulator.counters().stateWrites).toBe(1);
  });

  it("coalesces a burst of requests and flushes the last state on close", async () => {
    emulator = await start({ statePath });
    await Promise.all(Array.from({ length: 500 }, (_, i) => post(bearer(`m_${letters(i)}`))));
    emulator.setProvider(BOT, bearer("last"));
    await emulator.close();
    expect(emulator.counters().stateWrites).toBeLessThan(100);
    const saved = JSON.parse(await readFile(statePath, "utf8"));
    expect(saved.bots[BOT]).toHaveLength(501);
    expect(saved.bots[BOT][500]).toEqual(bearer("last"));
    expect(await readdir(dir)).toEqual(["state.json"]);
  });

  it("writes no file when nothing changes", async () => {
    emulator = await start({ statePath });
    await list();
    await emulator.close();
    await expect(stat(statePath)).rejects.toThrow(/ENOENT/);
  });

  it("keeps the providers of bots the state file has but the options do not", async () => {
    await writeFile(statePath, JSON.stringify({ version: 1, bots: { retired: [bearer("old")], [BOT]: [] } }));
    emulator = await start({ statePath });
    await post(bearer("m"));
    await emulator.close();
    const saved = JSON.parse(await readFile(statePath, "utf8"));
    expect(saved.bots.retired).toEqual([bearer("old")]);
    expect(saved.bots[BOT]).toEqual([bearer("m")]);
  });

  it.each([
    ["not JSON", "{", /not valid JSON/],
    ["the wrong shape", JSON.stringify({ version: 2, bots: {} }), /is invalid: version/],
    [
      "a bad entry",
      JSON.stringify({ version: 1, bots: { b: [{ name: "x", type: "www", config: {} }] } }),
      /bots\.b\.0\.config/,
    ],
  ])("refuses a state file that is %s", async (_, text, message) => {
    await writeFile(statePath, text);
    await expect(startEmulator({ bots: { [BOT]: TOKEN }, statePath })).rejects.toThrow(message);
    expect(await readFile(statePath, "utf8")).toBe(text);
  });

  it("answers 500 to a write it cannot save, and reports the failed write on close", async () => {
    // Not started through start(): its close() is expected to fail here, not in afterEach.
    emulator = await startEmulator({ bots: { [BOT]: TOKEN }, statePath });
    await rm(dir, { recursive: true, force: true });
    const reply = await post(bearer("m"));
    expect(reply.status).toBe(500);
    expect(errorBody(reply).details).toMatch(
      /^the change could not be saved: cannot write state file .*ENOENT/,
    );
    await expect(emulator.close()).rejects.toThrow(/ENOENT/);
  });
});
