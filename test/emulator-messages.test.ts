import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type Emulator,
  type EmulatorOptions,
  type StorageServer,
  type StorageServerOptions,
  startEmulator,
  startStorageServer,
} from "../src/emulator";
import { startRawServer } from "./support/raw-server";
import { leaksIn } from "./support/secret-leaks";

const BOT = "bot-a";
const TOKEN = "token-a-0123456789";
const OTHER_BOT = "bot-b";
const OTHER_TOKEN = "token-b-9876543210";
const USER = "media-user";
const PASSWORD = 'Storage/Pa55 wörd"';
const STORAGE_TOKEN = "storage-bearer-0123456789";
const JPEG = { contentType: "image/jpeg", body: Buffer.alloc(1500, 7) };

let emulator: Emulator;
let storage: StorageServer;
const closers: (() => Promise<void>)[] = [];

async function startStorage(options: Partial<StorageServerOptions> = {}): Promise<StorageServer> {
  const server = await startStorageServer({
    basic: { username: USER, password: PASSWORD },
    bearer: STORAGE_TOKEN,
    files: {
      "/cat.jpg": JPEG,
      "/clip.mp4": { contentType: "video/mp4", body: Buffer.alloc(4096) },
      "/doc.pdf": { contentType: "application/pdf; qs=0.9", body: "%PDF-1.7" },
      "/page.html": { contentType: "text/html", body: "<html></html>" },
      "/big.webp": { contentType: "image/webp", body: Buffer.alloc(100 * 1024 + 1) },
      "/ok.webp": { contentType: "image/webp", body: Buffer.alloc(100 * 1024) },
    },
    ...options,
  });
  closers.push(() => server.close());
  return server;
}

async function start(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const emu = await startEmulator({ bots: { [BOT]: TOKEN, [OTHER_BOT]: OTHER_TOKEN }, ...options });
  closers.push(() => emu.close());
  return emu;
}

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

interface StatusJson {
  message_id: string;
  recipient: string;
  status: string;
  state: string;
  reason?: string;
  details?: string;
}

/** The answer's JSON: a 201's `{type, statuses}` or an error's `{message, details}`. */
interface ReplyJson {
  type?: string;
  statuses: StatusJson[];
  message?: string;
  details?: string;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: ReplyJson;
  text: string;
}

async function send(
  body: unknown,
  options: { token?: string; bot?: string; contentType?: string; raw?: string; method?: "POST" | "GET" } = {},
  emu = emulator,
): Promise<Reply> {
  const bot = options.bot ?? BOT;
  const res = await request(`${emu.url}/whatsapp/v1/${bot}/messages`, {
    method: options.method ?? "POST",
    headers: {
      authorization: `Bearer ${options.token ?? TOKEN}`,
      "content-type": options.contentType ?? "application/json",
    },
    body: options.method === "GET" ? undefined : (options.raw ?? JSON.stringify(body)),
  });
  const text = await res.body.text();
  let json = { statuses: [] } as ReplyJson;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: tests look at `text`
  }
  return { status: res.statusCode, headers: res.headers, json, text };
}

function first(reply: Reply): StatusJson {
  const status = reply.json.statuses[0];
  if (status === undefined) throw new Error(`no status in ${reply.status} ${reply.text}`);
  return status;
}

function addProviders(emu = emulator, password = PASSWORD, token = STORAGE_TOKEN): void {
  emu.setProvider(BOT, { name: "cdn_basic", type: "www", config: { basic: { username: USER, password } } });
  emu.setProvider(BOT, { name: "cdn_bearer", type: "www", config: { bearer: token } });
}

/** No form of a storage credential in `text` (an answer as sent, or what the emulator keeps). */
function expectNoSecret(text: string): void {
  expect(leaksIn(text, [PASSWORD, STORAGE_TOKEN, 'wrong/Pa55 wörd"', "wrong-bearer-token"])).toEqual([]);
}

describe("emulator: messages with media", () => {
  beforeEach(async () => {
    emulator = await start();
    storage = await startStorage();
    addProviders();
  });

  it("delivers an image downloaded with the named Basic provider (201, one status per recipient)", async () => {
    const reply = await send({
      to: ["46732001122", "46732001133"],
      message: { type: "image", url: `${storage.url}/cat.jpg`, caption: "A cat", provider: "cdn_basic" },
    });
    expect(reply.status).toBe(201);
    expect(reply.json.type).toBe("whatsapp");
    expect(reply.json.statuses).toHaveLength(2);
    for (const [i, status] of reply.json.statuses.entries()) {
      expect(status).toEqual({
        message_id: expect.any(String),
        recipient: ["46732001122", "46732001133"][i],
        status: "success",
        state: "delivered",
      });
    }
    expect(storage.requests()).toEqual([
      {
        method: "GET",
        url: "/cat.jpg",
        authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`,
        status: 200,
      },
    ]);
    const sent = emulator.messages(BOT);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      messageId: first(reply).message_id,
      recipient: "46732001122",
      type: "image",
      provider: "cdn_basic",
      state: "delivered",
      download: { status: 200, contentType: "image/jpeg", bytes: 1500, redirects: 0 },
    });
    expect(emulator.messages(OTHER_BOT)).toEqual([]);
    expect(emulator.counters().messages).toEqual({ delivered: 2, failed: 0, downloads: 1 });
  });

  it("delivers with a Bearer provider, and documents with a parameterized content type", async () => {
    const video = await send({
      to: ["1234567"],
      message: { type: "video", url: `${storage.url}/clip.mp4`, provider: "cdn_bearer" },
    });
    expect(first(video).state).toBe("delivered");
    expect(storage.requests()[0]?.authorization).toBe(`Bearer ${STORAGE_TOKEN}`);
    const doc = await send({
      to: ["1234567"],
      message: {
        type: "document",
        url: `${storage.url}/doc.pdf`,
        filename: "doc.pdf",
        provider: "cdn_bearer",
      },
    });
    expect(first(doc).state).toBe("delivered");
  });

  it("fails a message when the provider's password is wrong, saying what the storage answered", async () => {
    addProviders(emulator, 'wrong/Pa55 wörd"', "wrong-bearer-token");
    const reply = await send({
      to: ["46732001122"],
      message: { type: "image", url: `${storage.url}/cat.jpg?sig=SIGNED-XYZ`, provider: "cdn_basic" },
    });
    expect(reply.status).toBe(201);
    const status = first(reply);
    expect(status).toMatchObject({
      status: "failure",
      state: "failed",
      reason: "media_download_unauthorized",
    });
    expect(status.details).toContain("401 Unauthorized");
    expect(status.details).toContain('media provider "cdn_basic"');
    expect(status.details).toContain("credentials are wrong");
    expect(status.details).toContain(`${storage.url}/cat.jpg`);
    expect(status.details).not.toContain("SIGNED-XYZ");
    expectNoSecret(reply.text);
    const [sent] = emulator.messages(BOT);
    expect(sent).toMatchObject({
      state: "failed",
      reason: "media_download_unauthorized",
      download: { status: 401 },
    });
    expectNoSecret(JSON.stringify(emulator.messages(BOT)));
    expect(emulator.counters().messages).toEqual({ delivered: 0, failed: 1, downloads: 1 });

    const bearer = await send({
      to: ["46732001122"],
      message: { type: "image", url: `${storage.url}/cat.jpg`, provider: "cdn_bearer" },
    });
    expect(first(bearer).reason).toBe("media_download_unauthorized");
    expectNoSecret(bearer.text);
    expectNoSecret(JSON.stringify(emulator.messages(BOT)));
  });

  it("fails a message sent without a provider to a protected storage", async () => {
    const reply = await send({ to: ["1"], message: { type: "image", url: `${storage.url}/cat.jpg` } });
    expect(first(reply)).toMatchObject({ state: "failed", reason: "media_download_unauthorized" });
    expect(first(reply).details).toContain("without credentials");
    expect(storage.requests()[0]?.authorization).toBeUndefined();
  });

  it("answers 400 for an unknown provider name, and downloads nothing", async () => {
    const reply = await send({
      to: ["1"],
      message: { type: "image", url: `${storage.url}/cat.jpg`, provider: "nope" },
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({
      message: "Bad Request",
      details: expect.stringContaining('no media provider named "nope"'),
    });
    expect(storage.requests()).toEqual([]);
    expect(emulator.messages(BOT)).toEqual([]);
  });

  it("fails on a content type the message type does not accept", async () => {
    const reply = await send({
      to: ["1"],
      message: { type: "image", url: `${storage.url}/page.html`, provider: "cdn_basic" },
    });
    expect(first(reply)).toMatchObject({ state: "failed", reason: "media_type_not_supported" });
    expect(first(reply).details).toContain("text/html");
    expect(first(reply).details).toContain("image/jpeg, image/png");
  });

  it("enforces the size limit (a sticker is at most 100 KB)", async () => {
    const ok = await send({
      to: ["1"],
      message: { type: "sticker", url: `${storage.url}/ok.webp`, provider: "cdn_basic" },
    });
    expect(first(ok).state).toBe("delivered");
    const big = await send({
      to: ["1"],
      message: { type: "sticker", url: `${storage.url}/big.webp`, provider: "cdn_basic" },
    });
    expect(first(big)).toMatchObject({ state: "failed", reason: "media_too_large" });
    expect(first(big).details).toContain(String(100 * 1024));
  });

  it("caps the download when no Content-Length is sent", async () => {
    const server = await startRawServer((_, res) => {
      res.writeHead(200, { "content-type": "image/webp", "transfer-encoding": "chunked" });
      const chunk = Buffer.alloc(16 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("error", () => undefined);
      pump();
    });
    closers.push(() => server.close());
    const reply = await send({ to: ["1"], message: { type: "sticker", url: `${server.url}/s.webp` } });
    expect(first(reply)).toMatchObject({ state: "failed", reason: "media_too_large" });
    expect(emulator.messages(BOT)[0]?.download?.bytes).toBeLessThan(200 * 1024);
  });

  it("fails on unreachable storage and on 5xx", async () => {
    const closed = await startStorage();
    const url = `${closed.url}/cat.jpg`;
    await closed.close();
    const unreachable = await send({ to: ["1"], message: { type: "image", url, provider: "cdn_basic" } });
    expect(first(unreachable)).toMatchObject({ state: "failed", reason: "media_download_failed" });
    expect(first(unreachable).details).toContain("ECONNREFUSED");

    const failing = await startRawServer((_, res) => {
      res.writeHead(500);
      res.end();
    });
    closers.push(() => failing.close());
    const five = await send({ to: ["1"], message: { type: "image", url: `${failing.url}/x.jpg` } });
    expect(first(five)).toMatchObject({ state: "failed", reason: "media_download_failed" });
    expect(first(five).details).toContain("500 Internal Server Error");
  });

  it("fails a download that takes longer than mediaTimeoutMs", async () => {
    const emu = await start({ mediaTimeoutMs: 200 });
    const silent = await startRawServer(() => {
      // never answer
    });
    closers.push(() => silent.close());
    const reply = await send({ to: ["1"], message: { type: "image", url: `${silent.url}/x.jpg` } }, {}, emu);
    expect(first(reply)).toMatchObject({ state: "failed", reason: "media_download_failed" });
    expect(first(reply).details).toContain("no answer within 200 ms");
  });

  it("follows same-origin redirects with the credentials and refuses other origins", async () => {
    const other = await startStorage();
    const redirecting = await startStorage({
      redirects: { "/moved.jpg": "/cat.jpg", "/away.jpg": `${other.url}/cat.jpg` },
    });
    const moved = await send({
      to: ["1"],
      message: { type: "image", url: `${redirecting.url}/moved.jpg`, provider: "cdn_basic" },
    });
    expect(first(moved).state).toBe("delivered");
    expect(redirecting.requests().map((r) => [r.url, r.status, r.authorization !== undefined])).toEqual([
      ["/moved.jpg", 302, true],
      ["/cat.jpg", 200, true],
    ]);
    const away = await send({
      to: ["1"],
      message: { type: "image", url: `${redirecting.url}/away.jpg`, provider: "cdn_basic" },
    });
    expect(first(away)).toMatchObject({ state: "failed", reason: "media_download_failed" });
    expect(first(away).details).toContain("another origin");
    expect(other.requests()).toEqual([]);
  });
});

describe("emulator: messages endpoint", () => {
  beforeEach(async () => {
    emulator = await start();
  });

  it("sends text messages without any download", async () => {
    const reply = await send({ to: ["46732001122"], message: { type: "text", body: "Hello" } });
    expect(reply.status).toBe(201);
    expect(reply.json).toEqual({
      type: "whatsapp",
      statuses: [
        { message_id: expect.any(String), recipient: "46732001122", status: "success", state: "delivered" },
      ],
    });
    expect(emulator.messages(BOT)).toEqual([
      expect.objectContaining({ type: "text", state: "delivered", recipient: "46732001122" }),
    ]);
    expect(emulator.counters().messages).toEqual({ delivered: 1, failed: 0, downloads: 0 });
  });

  it("answers 401 for a wrong token, another bot's token or an unknown bot", async () => {
    for (const options of [{ token: "wrong-api-token" }, { token: OTHER_TOKEN }, { bot: "nobody" }]) {
      const reply = await send({ to: ["1"], message: { type: "text", body: "x" } }, options);
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ message: "Unauthorized", details: expect.any(String) });
      expect(leaksIn(reply.text, ["wrong-api-token", OTHER_TOKEN])).toEqual([]);
    }
    expect(emulator.messages(BOT)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ["no recipients", { to: [], message: { type: "text", body: "x" } }, "to: must hold at least 1 recipient"],
    [
      "21 recipients",
      { to: Array.from({ length: 21 }, (_, i) => `4673200${i}`), message: { type: "text", body: "x" } },
      "to: must hold at most 20 recipients",
    ],
    [
      "a number with a plus",
      { to: ["+4673"], message: { type: "text", body: "x" } },
      "to.0: must be a phone number",
    ],
    ["no message", { to: ["1"] }, "message: is required"],
    [
      "an unknown type",
      { to: ["1"], message: { type: "gif", url: "https://x/y" } },
      "message.type: type must be one of",
    ],
    ["a media message without url", { to: ["1"], message: { type: "image" } }, "message.url: is required"],
    [
      "an ftp url",
      { to: ["1"], message: { type: "audio", url: "ftp://x/y.ogg" } },
      "absolute http or https URL",
    ],
    [
      "a caption on audio",
      { to: ["1"], message: { type: "audio", url: "https://x/y", caption: "c" } },
      "caption",
    ],
    ["an empty text", { to: ["1"], message: { type: "text", body: "" } }, "message.body: must not be empty"],
    ["an unknown field", { to: ["1"], message: { type: "text", body: "x" }, extra: 1 }, "extra"],
  ])("answers 400 for %s", async (_, body, details) => {
    const reply = await send(body);
    expect(reply.status).toBe(400);
    expect(reply.json.message).toBe("Bad Request");
    expect(reply.json.details).toContain(details);
  });

  it("answers 400 for a body that is not JSON or not sent as JSON", async () => {
    expect((await send(undefined, { raw: "{nope" })).json.details).toBe("the body is not valid JSON");
    expect((await send({ to: ["1"] }, { contentType: "text/plain" })).json.details).toContain(
      "application/json",
    );
  });

  it("answers 405 for other methods on /messages, and faults do not apply to it", async () => {
    const reply = await send(undefined, { method: "GET" });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("POST");
    emulator.setFaults({ rate503: 1 });
    expect((await send({ to: ["1"], message: { type: "text", body: "x" } })).status).toBe(201);
    expect(emulator.counters().faults["503"]).toBe(0);
  });

  it("messages() throws for an unknown bot and returns copies", () => {
    expect(() => emulator.messages("nobody")).toThrow("unknown bot");
    const list = emulator.messages(BOT);
    list.push({} as never);
    expect(emulator.messages(BOT)).toEqual([]);
  });
});
