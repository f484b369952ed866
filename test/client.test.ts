import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { connect as netConnect, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MediaProviderClient } from "../src/client";
import { createDispatcher } from "../src/client/dispatcher";
import { type Emulator, startEmulator } from "../src/emulator";
import {
  ApiError,
  BadRequestError,
  CallTimeoutError,
  ConfigurationError,
  InvalidResponseError,
  NetworkError,
  RedirectError,
  ResponseTooLargeError,
  UnauthorizedError,
  UnsafeDeleteError,
  WhatsAppError,
} from "../src/errors";
import { startRawServer } from "./support/raw-server";

const TOKEN = "bot-token-0123456789";
const PASSWORD = "storage-password-abc";
const fast = { retry: { minDelayMs: 1, maxDelayMs: 20 } };

let emulator: Emulator;
const clients: MediaProviderClient[] = [];

function client(options: Partial<ConstructorParameters<typeof MediaProviderClient>[0]> = {}) {
  const c = new MediaProviderClient({
    botId: "bot",
    apiToken: TOKEN,
    baseUrl: emulator.url,
    ...fast,
    ...options,
  });
  clients.push(c);
  return c;
}

async function caught(promise: Promise<unknown>): Promise<WhatsAppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WhatsAppError);
    return error as WhatsAppError;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  emulator = await startEmulator({ bots: { bot: TOKEN, other: "other-token" } });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  emulator.setFaults({});
  emulator.resetCounters();
  for (const p of emulator.providers("bot")) emulator.removeProvider("bot", p.name);
});
afterAll(() => emulator.close());

describe("MediaProviderClient against the emulator", () => {
  it("adds, lists, overwrites and deletes providers", async () => {
    const c = client();
    expect(await c.list()).toEqual([]);
    await c.upsert({
      name: "cdn_basic",
      type: "www",
      config: { basic: { username: "u", password: PASSWORD } },
    });
    await c.upsert({ name: "cdn-bearer", type: "www", config: { bearer: "tok" } });
    await c.upsert({ name: "cdn-bearer", type: "www", config: { bearer: "tok2" } });
    expect(await c.list()).toEqual([
      { name: "cdn_basic", type: "www", config: { basic: { username: "u", password: PASSWORD } } },
      { name: "cdn-bearer", type: "www", config: { bearer: "tok2" } },
    ]);
    await c.delete("cdn_basic");
    await c.delete("never-existed");
    expect((await c.list()).map((p) => p.name)).toEqual(["cdn-bearer"]);
  });

  it("URL-encodes the name on delete (names from before the 2020 rules may hold other characters)", async () => {
    emulator.setProvider("bot", { name: "old name.1 ü", type: "www", config: { bearer: "x" } });
    await client().delete("old name.1 ü");
    expect(emulator.providers("bot")).toEqual([]);
  });

  it("resolves a region to its host", () => {
    const c = new MediaProviderClient({ botId: "b", apiToken: "t", region: "eu1" });
    clients.push(c);
    expect(c.baseUrl).toBe("https://eu1.whatsapp.api.sinch.com");
  });

  it("reports 401 as UnauthorizedError naming the token and the region, without the token", async () => {
    const error = await caught(client({ apiToken: "wrong-token-xyz" }).list());
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.code).toBe("ERR_WHATSAPP_UNAUTHORIZED");
    expect((error as ApiError).status).toBe(401);
    expect(error.message).toMatch(/GET \/whatsapp\/v1\/bot\/provision\/provider answered 401/);
    expect(error.message).toMatch(/region/);
    expect(`${error.message}${error.stack}`).not.toContain("wrong-token-xyz");
    expect(emulator.counters().requests).toBe(1);
    // Said once, by the API's own details, not again by the hint.
    expect(error.message.match(/another region/g)).toHaveLength(1);
  });

  it("keeps the words of a 401 whole when the token is a single character", async () => {
    const error = await caught(client({ apiToken: "t" }).list());
    expect(error.message).toContain("wrong credentials, or the bot lives in another region");
    expect(error.message).toContain("Check whatsapp:apiToken");
  });

  it("reports 400 as BadRequestError with the API's message and details, and does not retry it", async () => {
    const error = await caught(client().upsert({ name: "bad1", type: "www", config: { bearer: "t" } }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as ApiError).apiMessage).toBeTruthy();
    expect(error.message).toContain("name");
    expect(emulator.counters().requests).toBe(1);
  });

  it("retries 503, 429 and dropped connections, and tells each retry", async () => {
    emulator.setFaults({ script: ["503", "429", "drop"] });
    const retries: string[] = [];
    expect(await client({ onRetry: (e) => retries.push(e.reason) }).list()).toEqual([]);
    expect(emulator.counters().requests).toBe(4);
    expect(retries).toEqual(["status 503", "status 429", expect.stringMatching(/UND_ERR_SOCKET|ECONNRESET/)]);
  });

  it("retries a POST whose answer was lost after it was applied, and the upsert stays single", async () => {
    emulator.setFaults({ script: ["dropAfterWrite"] });
    await client().upsert({ name: "once", type: "www", config: { bearer: "t" } });
    expect(emulator.counters().byMethod.POST).toBe(2);
    expect(emulator.providers("bot")).toEqual([{ name: "once", type: "www", config: { bearer: "t" } }]);
  });

  it("stops after the configured retries with the last status", async () => {
    emulator.setFaults({ rate503: 1 });
    const error = await caught(client({ retry: { maxRetries: 2, minDelayMs: 1 } }).delete("x"));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect(error.message).toContain("Try again later");
    expect(error.message).toContain("answered 503 after 3 attempts");
    expect((error as ApiError).attempts).toBe(3);
    expect(emulator.counters().requests).toBe(3);
  });

  it("honours Retry-After", async () => {
    emulator.setFaults({ script: ["429"], retryAfterSeconds: 0.3 });
    const started = performance.now();
    await client({ retry: { minDelayMs: 1, maxDelayMs: 5_000 } }).list();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("reuses keep-alive connections for sequential calls", async () => {
    const raw = await startRawServer((_req, res) =>
      res.end('{"settings":{"application":{"media":{"providers":[]}}}}'),
    );
    const c = client({ baseUrl: raw.url });
    for (let i = 0; i < 20; i++) await c.list();
    // undici's pool may open a second socket while the first is being released; never one per call.
    expect(raw.connections()).toBeLessThanOrEqual(2);
    await raw.close();
  });

  it("sends the bearer token, JSON content type and a User-Agent naming the package", async () => {
    const raw = await startRawServer((_req, res) => res.end());
    await client({ baseUrl: `${raw.url}/prefix/` }).upsert({
      name: "n",
      type: "www",
      config: { bearer: "b" },
    });
    const [request] = raw.seen;
    expect(request?.url).toBe("/prefix/whatsapp/v1/bot/provision/provider");
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toMatch(/^pulumi-sinch-whatsapp\/\d+\.\d+\.\d+/);
    expect(JSON.parse(request?.body ?? "")).toEqual({ name: "n", type: "www", config: { bearer: "b" } });
    await raw.close();
  });
});

describe("MediaProviderClient against broken answers", () => {
  it.each([
    ["an HTML page", "<html>Gateway</html>", /not JSON/],
    ["truncated JSON", '{"settings":{"applic', /not JSON/],
    ["an empty body", "", /empty/],
    ["another shape", '{"settings":{}}', /settings\.application/],
    [
      "a bad entry",
      '{"settings":{"application":{"media":{"providers":[{"name":"x","type":"www","config":{}}]}}}}',
      /providers\.0\.config/,
    ],
  ])("turns %s on a 200 GET into InvalidResponseError", async (_what, body, problem) => {
    const raw = await startRawServer((_req, res) => res.end(body));
    const error = await caught(client({ baseUrl: raw.url }).list());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(problem);
    await raw.close();
  });

  it("turns a proxy's HTML 502 into ApiError after retrying", async () => {
    const raw = await startRawServer((_req, res) => {
      res.statusCode = 502;
      res.end("<html>Bad gateway</html>");
    });
    const error = await caught(client({ baseUrl: raw.url, retry: { maxRetries: 1, minDelayMs: 1 } }).list());
    expect((error as ApiError).status).toBe(502);
    expect(raw.seen).toHaveLength(2);
    await raw.close();
  });

  it("redacts the token and the provider's secret when an error body echoes them", async () => {
    const raw = await startRawServer((req, res) => {
      res.statusCode = 400;
      res.end(JSON.stringify({ message: `bad ${req.headers.authorization}`, details: req.body }));
    });
    const error = await caught(
      client({ baseUrl: raw.url }).upsert({
        name: "n",
        type: "www",
        config: { basic: { username: "u", password: PASSWORD } },
      }),
    );
    const everything = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(PASSWORD);
    expect(error.message).toContain("[redacted]");
    await raw.close();
  });

  it("times out waiting for headers, retries, then reports a NetworkError", async () => {
    const raw = await startRawServer(() => {});
    const error = await caught(
      client({ baseUrl: raw.url, headersTimeoutMs: 100, retry: { maxRetries: 1, minDelayMs: 1 } }).list(),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).causeCode).toBe("UND_ERR_HEADERS_TIMEOUT");
    expect(raw.seen).toHaveLength(2);
    await raw.close();
  });

  it("reports a refused connection after retrying", async () => {
    const closed = await startRawServer(() => {});
    await closed.close();
    const retries: number[] = [];
    const error = await caught(
      client({
        baseUrl: closed.url,
        retry: { maxRetries: 2, minDelayMs: 1 },
        onRetry: (e) => retries.push(e.attempt),
      }).list(),
    );
    expect((error as NetworkError).causeCode).toBe("ECONNREFUSED");
    expect((error as NetworkError).cause).toMatchObject({ code: "ECONNREFUSED" });
    expect(error.message).toContain("after 3 attempts");
    expect(retries).toEqual([2, 3]);
    expect(error.message).toContain("HTTPS_PROXY");
  });
});

describe("MediaProviderClient behind a proxy", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it("goes through HTTP_PROXY, and around it for NO_PROXY hosts", async () => {
    const tunnels: string[] = [];
    const proxy = createServer();
    const sockets = new Set<Socket>();
    proxy.on("connect", (req, socket: Socket, head) => {
      tunnels.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = netConnect(Number(port), host, () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      sockets.add(socket).add(upstream);
      upstream.on("error", () => socket.destroy());
      socket.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

    process.env.HTTP_PROXY = proxyUrl;
    process.env.NO_PROXY = "";
    await client().list();
    expect(tunnels).toEqual([new URL(emulator.url).host]);

    process.env.NO_PROXY = "127.0.0.1";
    await client().list();
    expect(tunnels).toHaveLength(1);

    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });
});

describe("MediaProviderClient DELETE guard", () => {
  const hostile: [string, unknown][] = [
    ["missing", undefined],
    ["empty", ""],
    ["spaces", "   "],
    ["a dot", "."],
    ["two dots", ".."],
    ["a slash", "/"],
    ["an encoded slash", "%2F"],
    ["a tab", "\t"],
    ["a backslash", "\\"],
    ["encoded dots", "%2e%2e"],
    ["a climb", "a/.."],
    ["a trailing space", "name "],
    ["a newline inside", "na\nme"],
    ["a control character", "na\u0000me"],
  ];
  it.each(hostile)("refuses a name that is %s, and sends nothing", async (_what, name) => {
    const raw = await startRawServer((_req, res) => res.end());
    const error = await caught(client({ baseUrl: raw.url }).delete(name as string));
    expect(error).toBeInstanceOf(UnsafeDeleteError);
    expect(error.code).toBe("ERR_WHATSAPP_UNSAFE_DELETE");
    expect(error.message).toContain("Remove this provider by hand");
    expect(raw.seen).toHaveLength(0);
    await raw.close();
  });
});

describe("MediaProviderClient bot ids", () => {
  it.each(["a/b", "..", ".", "", "x%2F..", "a b", "bot/../x"])(
    "refuses the bot id %j when made, so that nothing can be sent",
    (botId) => {
      expect(() => client({ botId })).toThrow(ConfigurationError);
      expect(() => client({ botId })).toThrow(
        /bot id .*(cannot be carried in the API path as is|must not be empty)/,
      );
    },
  );

  it.each(["bot", "my-bot_1", "a.b", "...", "x:y@z", "~!$&'()*+,;="])(
    "takes the bot id %j, in one path segment",
    async (botId) => {
      const raw = await startRawServer((_req, res) => res.end('{"settings":{"application":{}}}'));
      await client({ baseUrl: raw.url, botId }).list();
      const [segment] = raw.seen.map((r) => r.url.split("/")[3] ?? "");
      expect(raw.seen.map((r) => r.url)).toEqual([`/whatsapp/v1/${segment}/provision/provider`]);
      expect(decodeURIComponent(segment ?? "")).toBe(botId);
      await raw.close();
    },
  );
});

describe("MediaProviderClient with a huge token", () => {
  // A token of 100,000 characters, not repetitive, from the characters tokens use.
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";
  const HUGE_TOKEN = Array.from({ length: 100_000 }, (_, i) => ALPHABET[(i * i + 7 * i) % 67]).join("");
  const formsOf = (text: string) => [
    text,
    JSON.stringify(text),
    encodeURIComponent(text),
    Buffer.from(text).toString("base64"),
    Buffer.from(text).toString("base64url"),
  ];

  it("reports a 400 that echoes it in every form in a short error, with no form of it", async () => {
    const raw = await startRawServer(
      (req, res) => {
        const header = req.headers.authorization ?? "";
        res.statusCode = 400;
        res.end(
          JSON.stringify({
            message: `bad token: ${formsOf(header).join(" ")}`,
            details: formsOf(header.slice("Bearer ".length)).join(" "),
          }),
        );
      },
      { maxHeaderSize: 1024 * 1024 },
    );
    const error = await caught(client({ baseUrl: raw.url, apiToken: HUGE_TOKEN }).delete("n"));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(raw.seen[0]?.headers.authorization).toBe(`Bearer ${HUGE_TOKEN}`);
    expect(error.message.length).toBeLessThan(5_000);
    expect(error.message).toContain("bad token: Bearer [redacted]");
    // No run of token characters in the error is a piece of any form of the token.
    const everything = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    const runs = everything.match(/[\w\-.~+/=%]{12,}/g) ?? [];
    const forms = [...formsOf(HUGE_TOKEN), ...formsOf(`Bearer ${HUGE_TOKEN}`)];
    expect(runs.filter((run) => forms.some((form) => form.includes(run)))).toEqual([]);
    await raw.close();
  });
});

describe("MediaProviderClient deadline", () => {
  it("ends a request whose body trickles in, retries it, and says after how long it timed out", async () => {
    const raw = await startRawServer((_req, res) => {
      res.writeHead(200, { "content-length": 1000, "content-type": "application/json" });
      const timer = setInterval(() => res.write(" "), 1000);
      res.write("{");
      res.on("close", () => clearInterval(timer));
    });
    const error = await caught(
      client({ baseUrl: raw.url, requestTimeoutMs: 300, retry: { maxRetries: 1, minDelayMs: 1 } }).list(),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).causeCode).toBe("REQUEST_TIMEOUT");
    expect(error.message).toMatch(/failed after 2 attempts: REQUEST_TIMEOUT: timed out after 0\.3 s/);
    expect(raw.seen).toHaveLength(2);
    await raw.close();
  });

  /** A server that sends the headers of a 1,000-byte list body, then one byte every 100 ms. */
  const drippingServer = () =>
    startRawServer((_req, res) => {
      res.writeHead(200, { "content-length": 1000, "content-type": "application/json" });
      res.write("{");
      const timer = setInterval(() => res.write(" "), 100);
      res.on("close", () => clearInterval(timer));
    });
  const DEADLINE_HINT = "raise whatsapp:callTimeoutMs (WHATSAPP_CALL_TIMEOUT_MS; the CLI's --timeout)";

  it("ends a call whose body drips in at the call's deadline, after no more attempts than fit", async () => {
    const raw = await drippingServer();
    const retries: number[] = [];
    const error = await caught(
      client({
        baseUrl: raw.url,
        callTimeoutMs: 1_000,
        requestTimeoutMs: 400,
        onRetry: (e) => retries.push(e.attempt),
      }).list(),
    );
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error.code).toBe("ERR_WHATSAPP_CALL_TIMEOUT");
    const { attempts } = error as CallTimeoutError;
    // Each attempt but the last runs its whole 400 ms: a fourth could start only after 1.2 s.
    expect(attempts).toBeLessThanOrEqual(3);
    expect(raw.seen).toHaveLength(attempts);
    expect(retries).toEqual([2, 3].slice(0, attempts - 1));
    expect(error.message).toMatch(
      new RegExp(
        `^GET ${raw.url}/whatsapp/v1/bot/provision/provider gave up after 1 s, its deadline for all attempts and the waits between them: attempt ${attempts} had the response headers and was still receiving the body \\(\\d+ of 1000 bytes so far\\)\\. `,
      ),
    );
    expect(error.message).toContain(DEADLINE_HINT);
    await raw.close();
  });

  it("cuts an attempt short at the call's deadline, however long the attempt's own deadline", async () => {
    const raw = await drippingServer();
    const error = await caught(client({ baseUrl: raw.url, callTimeoutMs: 500 }).list());
    expect(error).toMatchObject({ code: "ERR_WHATSAPP_CALL_TIMEOUT", attempts: 1, waitingFor: "body" });
    expect(raw.seen).toHaveLength(1);
    await raw.close();
  });

  it("says when the call's deadline came while waiting for the response headers", async () => {
    const raw = await startRawServer(() => {});
    const error = await caught(client({ baseUrl: raw.url, callTimeoutMs: 500 }).list());
    expect(error).toMatchObject({ code: "ERR_WHATSAPP_CALL_TIMEOUT", attempts: 1, waitingFor: "headers" });
    expect(error.message).toContain("gave up after 0.5 s");
    expect(error.message).toContain("attempt 1 was still waiting for the response headers.");
    await raw.close();
  });

  it("makes no retry that would start after the call's deadline, and reports the last answer", async () => {
    const raw = await startRawServer((_req, res) => {
      res.writeHead(503, { "retry-after": "5" });
      res.end();
    });
    const retries: number[] = [];
    const error = await caught(
      client({
        baseUrl: raw.url,
        callTimeoutMs: 1_000,
        retry: { maxDelayMs: 10_000 },
        onRetry: (e) => retries.push(e.attempt),
      }).list(),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect(raw.seen).toHaveLength(1);
    expect(retries).toEqual([]);
    await raw.close();
  });
});

describe("MediaProviderClient body size limit", () => {
  const LIMIT = 64 * 1024;

  it("fails a body over maxResponseBytes with ResponseTooLargeError naming the setting, without retrying", async () => {
    const raw = await startRawServer((_req, res) => res.end("x".repeat(LIMIT + 1)));
    const error = await caught(client({ baseUrl: raw.url, maxResponseBytes: LIMIT }).list());
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ code: "ERR_WHATSAPP_RESPONSE_TOO_LARGE", limitBytes: LIMIT, status: 200 });
    expect(error.message).toContain(`a body of ${LIMIT + 1} bytes, over the limit of ${LIMIT} bytes`);
    expect(error.message).toContain("whatsapp:maxResponseBytes (WHATSAPP_MAX_RESPONSE_BYTES)");
    expect(raw.seen).toHaveLength(1);
    await raw.close();
  });

  it("reads a body of exactly maxResponseBytes", async () => {
    const body = JSON.stringify({ settings: { application: { media: { providers: [] } } } });
    const raw = await startRawServer((_req, res) => res.end(body.padEnd(LIMIT, " ")));
    expect(await client({ baseUrl: raw.url, maxResponseBytes: LIMIT }).list()).toEqual([]);
    await raw.close();
  });

  it("stops reading an endless body without a length once it passes the limit", async () => {
    let written = 0;
    const raw = await startRawServer((_req, res) => {
      const chunk = "x".repeat(16 * 1024);
      const write = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once("drain", write);
      };
      write();
    });
    const error = await caught(
      client({ baseUrl: raw.url, maxResponseBytes: LIMIT, callTimeoutMs: 600_000 }).list(),
    );
    expect(error.code).toBe("ERR_WHATSAPP_RESPONSE_TOO_LARGE");
    expect(error.message).toContain("with a body of more, over the limit");
    await raw.close();
    // What the socket buffers took before the close, not the endless rest.
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it("refuses a body whose Content-Length is over the limit at the headers, with a shared dispatcher too", async () => {
    const raw = await startRawServer((_req, res) => {
      res.writeHead(200, { "content-length": String(LIMIT * 1024) });
      res.write("{");
    });
    const dispatcher = createDispatcher({});
    const error = await caught(client({ baseUrl: raw.url, maxResponseBytes: LIMIT, dispatcher }).list());
    expect(error.code).toBe("ERR_WHATSAPP_RESPONSE_TOO_LARGE");
    expect(error.message).toContain(`a body of ${LIMIT * 1024} bytes`);
    await dispatcher.close();
    await raw.close();
  });

  it("limits a body to 2 MiB by default", async () => {
    const raw = await startRawServer((_req, res) => res.end("x".repeat(2 * 1024 * 1024 + 1)));
    const error = await caught(client({ baseUrl: raw.url }).list());
    expect(error).toMatchObject({ code: "ERR_WHATSAPP_RESPONSE_TOO_LARGE", limitBytes: 2 * 1024 * 1024 });
    await raw.close();
  });
});

describe("MediaProviderClient error text from the server", () => {
  async function errorFor(status: number, body: unknown, headers: Record<string, string> = {}) {
    const raw = await startRawServer((_req, res) => {
      res.writeHead(status, headers);
      res.end(JSON.stringify(body));
    });
    const error = await caught(client({ baseUrl: raw.url }).delete("n"));
    expect(raw.seen).toHaveLength(1);
    await raw.close();
    return error;
  }

  it("bounds a huge details text and says how much was left out", async () => {
    const error = await errorFor(400, { message: "Bad Request", details: "d".repeat(60_000) });
    expect(error.message.length).toBeLessThan(3_000);
    expect(error.message).toContain("… (58000 more characters)");
  });

  it("shows reason and title when details is absent", async () => {
    const error = await errorFor(400, {
      message: "Bad Request",
      reason: "name is invalid",
      title: "Invalid",
    });
    expect(error.message).toContain("(Bad Request: name is invalid: Invalid)");
    expect((error as ApiError).apiDetails).toBe("name is invalid: Invalid");
  });

  it("says that a 3xx was a redirect and where to, and does not follow it", async () => {
    const elsewhere = await startRawServer((_req, res) => res.end());
    const error = await errorFor(302, {}, { location: `${elsewhere.url}/moved` });
    expect(error).toBeInstanceOf(RedirectError);
    expect(error.message).toContain(`answered 302. It was a redirect to ${elsewhere.url}/moved`);
    expect((error as RedirectError).location).toBe(`${elsewhere.url}/moved`);
    expect(elsewhere.seen).toHaveLength(0);
    await elsewhere.close();
  });

  const TOKEN_HOSTILE = 'tok"/\\.*+?[x](y)|{2}^$-0123456789';
  const PASSWORD_HOSTILE = 'pä$$/"w(o)rd*+?[x]\\ü€😀';
  const asciiJson = (value: unknown) =>
    JSON.stringify(value)
      .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
      .replace(/\//g, "\\/");
  const echoes: [string, (req: { headers: Record<string, unknown>; body: string }) => unknown][] = [
    [
      "JSON \\u and \\/ escapes",
      (req) => ({ message: "Bad Request", details: asciiJson(JSON.parse(req.body)) }),
    ],
    ["URL encoding", (req) => ({ message: "Bad Request", details: encodeURIComponent(req.body) })],
    ["form encoding", (req) => ({ details: new URLSearchParams({ body: req.body }).toString() })],
    [
      "base64 of user:password",
      () => ({ reason: Buffer.from(`user:${PASSWORD_HOSTILE}`).toString("base64") }),
    ],
    ["the Authorization header, JSON-escaped", (req) => ({ message: asciiJson(req.headers.authorization) })],
  ];
  it.each(echoes)("redacts secrets echoed with %s", async (_what, echo) => {
    const raw = await startRawServer((req, res) => {
      res.statusCode = 400;
      res.end(JSON.stringify(echo(req)));
    });
    const error = await caught(
      client({ baseUrl: raw.url, apiToken: TOKEN_HOSTILE }).upsert({
        name: "n",
        type: "www",
        config: { basic: { username: "user", password: PASSWORD_HOSTILE } },
      }),
    );
    const everything = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    expect(error.message).toContain("[redacted]");
    for (const leak of ["pä", "p\\u00e4", "p%C3%A4", "w(o)rd", "w%28o%29rd", "tok", "dXNlcjpw"]) {
      expect(everything).not.toContain(leak);
    }
    await raw.close();
  });
});
