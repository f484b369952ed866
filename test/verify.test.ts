import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type StorageServer, type StorageServerOptions, startStorageServer } from "../src/emulator";
import { CancelledError } from "../src/errors";
import { VerificationError } from "../src/errors/verification-error";
import type { MediaProviderConfig } from "../src/types/media-provider";
import type { VerifyOptions } from "../src/types/verify-options";
import { verifySchema } from "../src/types/verify-schema";
import {
  authorizationHeader,
  checkRedirect,
  MAX_STORAGE_REDIRECTS,
  verifyCredentials,
} from "../src/verification";
import { startRawServer } from "./support/raw-server";

const USER = "svc-media";
const PASSWORD = "Pa55-word!secret";
const TOKEN = "bearer-TOKEN-0123456789";
const WRONG_PASSWORD = "wrong-Pa55-secret";
const BASIC: MediaProviderConfig = { basic: { username: USER, password: PASSWORD } };
const BEARER: MediaProviderConfig = { bearer: TOKEN };
const JPEG = { contentType: "image/jpeg", body: Buffer.alloc(2048, 1) };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function storage(options: Partial<StorageServerOptions> = {}): Promise<StorageServer> {
  const server = await startStorageServer({
    basic: { username: USER, password: PASSWORD },
    bearer: TOKEN,
    files: { "/media/cat.jpg": JPEG },
    ...options,
  });
  closers.push(() => server.close());
  return server;
}

async function raw(handler: Parameters<typeof startRawServer>[0]) {
  const server = await startRawServer(handler);
  closers.push(() => server.close());
  return server;
}

async function failure(
  verify: VerifyOptions,
  config: MediaProviderConfig = BASIC,
  name = "cdn_media",
): Promise<VerificationError> {
  const error = await verifyCredentials(verify, config, name).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VerificationError);
  const verification = error as VerificationError;
  expect(verification.code).toBe("ERR_WHATSAPP_VERIFICATION");
  for (const secret of [PASSWORD, TOKEN, WRONG_PASSWORD, authorizationHeader(config).split(" ")[1] ?? ""]) {
    expect(verification.message).not.toContain(secret);
    expect(JSON.stringify(verification)).not.toContain(secret);
  }
  return verification;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("verifySchema", () => {
  it.each<[string, VerifyOptions]>([
    ["a bare URL", { url: "https://cdn.example.com/media/probe.jpg" }],
    [
      "every field",
      { url: "http://127.0.0.1:8080/x?sig=1", method: "GET", expectStatus: 204, timeoutMs: 120_000 },
    ],
  ])("accepts %s and fills in no default", (_, input) => {
    const parsed = verifySchema.safeParse(input);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(input);
  });

  it.each<[string, unknown, string]>([
    ["a relative URL", { url: "/media/x.jpg" }, "url: must be an absolute http or https URL"],
    ["an ftp URL", { url: "ftp://host/x" }, "absolute http or https URL"],
    ["credentials in the URL", { url: "https://u:p@host/x" }, "url: must not contain credentials"],
    ["a method", { url: "https://h/x", method: "POST" }, 'method: must be "HEAD" or "GET"'],
    ["a status under 100", { url: "https://h/x", expectStatus: 99 }, "between 100 and 599"],
    ["a status over 599", { url: "https://h/x", expectStatus: 600 }, "between 100 and 599"],
    ["a fractional status", { url: "https://h/x", expectStatus: 200.5 }, "whole number"],
    ["a timeout over 2 minutes", { url: "https://h/x", timeoutMs: 120_001 }, "at most 120000 ms"],
    ["a zero timeout", { url: "https://h/x", timeoutMs: 0 }, "at least 1 ms"],
    ["an unknown key", { url: "https://h/x", headers: {} }, "Unrecognized key"],
    ["no URL", {}, "url"],
  ])("refuses %s", (_, input, message) => {
    const parsed = verifySchema.safeParse(input);
    expect(parsed.success).toBe(false);
    const text = parsed.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    expect(text).toContain(message);
  });
});

describe("authorizationHeader", () => {
  it("encodes Basic as base64(username:password) in UTF-8 and Bearer as the token", () => {
    expect(authorizationHeader({ basic: { username: "Aladdin", password: "open sesame" } })).toBe(
      "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
    );
    expect(authorizationHeader({ basic: { username: "ü", password: "p" } })).toBe(
      `Basic ${Buffer.from("ü:p", "utf8").toString("base64")}`,
    );
    expect(authorizationHeader({ bearer: "abc" })).toBe("Bearer abc");
  });
});

describe("checkRedirect", () => {
  const from = new URL("https://cdn.example.com/a/b.jpg?sig=SIGNED");

  it("follows relative and absolute redirects on the same origin", () => {
    expect(checkRedirect(from, "/c.jpg")).toEqual({ url: new URL("https://cdn.example.com/c.jpg") });
    expect(checkRedirect(from, "https://cdn.example.com:443/d")).toEqual({
      url: new URL("https://cdn.example.com/d"),
    });
  });

  it("refuses https to http, even on the same host", () => {
    const result = checkRedirect(from, "http://cdn.example.com/a/b.jpg");
    expect(result).toEqual({ refused: expect.stringContaining("from https to http") });
  });

  it.each([
    ["another host", from.href, "https://evil.example.net/x"],
    ["another port", from.href, "https://cdn.example.com:8443/x"],
    ["an upgrade from http to https", "http://cdn.example.com/a", "https://cdn.example.com/x"],
  ])("refuses %s", (_, start, location) => {
    expect(checkRedirect(new URL(start), location)).toEqual({
      refused: expect.stringContaining("another origin"),
    });
  });

  it("refuses other schemes, credentials in the Location and invalid Locations", () => {
    expect(checkRedirect(from, "ftp://cdn.example.com/x")).toHaveProperty("refused");
    expect(checkRedirect(from, "https://u:p@cdn.example.com/x")).toHaveProperty("refused");
    expect(checkRedirect(from, "http://[::1")).toHaveProperty("refused");
  });

  it("never shows a query string", () => {
    const result = checkRedirect(from, "https://other.example.com/file?token=SIGNED-TOKEN");
    expect(JSON.stringify(result)).not.toContain("SIGNED");
  });
});

describe("verifyCredentials", () => {
  it("passes with the right Basic credentials, sending exactly them with HEAD", async () => {
    const server = await storage({ bearer: undefined });
    await expect(
      verifyCredentials({ url: `${server.url}/media/cat.jpg` }, BASIC, "cdn"),
    ).resolves.toBeUndefined();
    expect(server.requests()).toEqual([
      {
        method: "HEAD",
        url: "/media/cat.jpg",
        authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`,
        status: 200,
      },
    ]);
  });

  it("passes with the right Bearer token, with GET", async () => {
    const server = await storage({ basic: undefined });
    await verifyCredentials({ url: `${server.url}/media/cat.jpg`, method: "GET" }, BEARER, "cdn");
    expect(server.requests()).toEqual([
      { method: "GET", url: "/media/cat.jpg", authorization: `Bearer ${TOKEN}`, status: 200 },
    ]);
  });

  it("GET reads only a few KB of a large file and still passes quickly", async () => {
    const server = await storage({
      files: { "/big.mp4": { contentType: "video/mp4", body: Buffer.alloc(32 * 1024 * 1024) } },
    });
    const started = Date.now();
    await verifyCredentials({ url: `${server.url}/big.mp4`, method: "GET" }, BASIC, "cdn");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("fails on a wrong password with a clear message and no secret", async () => {
    const server = await storage();
    const error = await failure(
      { url: `${server.url}/media/cat.jpg` },
      { basic: { username: USER, password: WRONG_PASSWORD } },
      "cdn_media",
    );
    expect(error.kind).toBe("wrong-credentials");
    expect(error.status).toBe(401);
    expect(error.providerName).toBe("cdn_media");
    expect(error.url).toBe(`${server.url}/media/cat.jpg`);
    expect(error.message).toContain('Media provider "cdn_media"');
    expect(error.message).toContain(`${server.url}/media/cat.jpg`);
    expect(error.message).toContain("401 Unauthorized");
    expect(error.message).toContain("credentials are wrong");
    expect(error.message).toContain("nothing was written");
    expect(error.message).toContain(`user "${USER}"`);
  });

  it("fails on a wrong bearer token", async () => {
    const server = await storage();
    const error = await failure({ url: `${server.url}/media/cat.jpg` }, { bearer: "not-the-token" });
    expect(error.kind).toBe("wrong-credentials");
    expect(error.message).not.toContain("not-the-token");
  });

  it("says when the storage asks for another scheme than the provider sends", async () => {
    const server = await storage({ bearer: undefined });
    const error = await failure({ url: `${server.url}/media/cat.jpg` }, BEARER);
    expect(error.message).toContain("asks for Basic authentication, but this provider sends Bearer");
  });

  it("treats 403 as wrong credentials", async () => {
    const server = await raw((_, res) => {
      res.writeHead(403, { "content-type": "text/plain" });
      res.end(`denied for ${PASSWORD}`);
    });
    const error = await failure({ url: `${server.url}/private/x.jpg` });
    expect(error.kind).toBe("wrong-credentials");
    expect(error.message).toContain("403 Forbidden");
  });

  it("reports unreachable storage (closed port) as not verifiable, with how to skip", async () => {
    const port = await closedPort();
    const error = await failure({ url: `http://127.0.0.1:${port}/x.jpg` });
    expect(error.kind).toBe("unreachable");
    expect(error.causeCode).toBe("ECONNREFUSED");
    expect(error.message).toContain("could not verify the credentials");
    expect(error.message).toContain("remove verify to skip this check");
    expect(error.message).toContain("Nothing was written");
  });

  it("reports an unresolvable host", async () => {
    const error = await failure({ url: "http://storage.invalid/x.jpg", timeoutMs: 5000 });
    expect(error.kind === "unreachable" || error.kind === "timeout").toBe(true);
    expect(error.message).toContain("could not verify");
  });

  it("times out within timeoutMs when the storage never answers", async () => {
    const server = await raw(() => {
      // never answer
    });
    const started = Date.now();
    const error = await failure({ url: `${server.url}/slow.jpg`, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain("no answer within 300 ms");
    expect(error.message).toContain("remove verify");
  });

  it("reports a 5xx as not verifiable, without retrying it", async () => {
    const server = await raw((_, res) => {
      res.writeHead(503);
      res.end();
    });
    const error = await failure({ url: `${server.url}/x.jpg` });
    expect(error.kind).toBe("unexpected-status");
    expect(error.status).toBe(503);
    expect(error.message).toContain("503 Service Unavailable");
    expect(error.message).toContain("storage is failing");
    expect(server.seen).toHaveLength(1);
  });

  it("reports a 404 as not verifiable", async () => {
    const server = await storage();
    const error = await failure({ url: `${server.url}/missing.jpg` });
    expect(error.kind).toBe("unexpected-status");
    expect(error.message).toContain("404 Not Found");
    expect(error.message).toContain("Fix verify.url");
  });

  it.each([405, 501])("answers a HEAD refused with %i by hinting at GET", async (status) => {
    const server = await raw((req, res) => {
      res.writeHead(req.method === "HEAD" ? status : 200);
      res.end();
    });
    const error = await failure({ url: `${server.url}/x.jpg` });
    expect(error.kind).toBe("method-not-allowed");
    expect(error.message).toContain('verify.method: "GET"');
    await verifyCredentials({ url: `${server.url}/x.jpg`, method: "GET" }, BASIC, "cdn");
  });

  it("with the storage server refusing HEAD, GET passes", async () => {
    const server = await storage({ allowHead: false });
    const error = await failure({ url: `${server.url}/media/cat.jpg` });
    expect(error.kind).toBe("method-not-allowed");
    await verifyCredentials({ url: `${server.url}/media/cat.jpg`, method: "GET" }, BASIC, "cdn");
  });

  it("honours expectStatus", async () => {
    const server = await raw((_, res) => {
      res.writeHead(204);
      res.end();
    });
    await verifyCredentials({ url: `${server.url}/x`, expectStatus: 204 }, BASIC, "cdn");
    const error = await failure({ url: `${server.url}/x`, expectStatus: 200 });
    expect(error.kind).toBe("unexpected-status");
    expect(error.message).toContain("200 was expected");
  });

  it("follows a redirect on the same origin, re-sending the credentials", async () => {
    const server = await storage({ redirects: { "/old.jpg": "/media/cat.jpg", "/older.jpg": "/old.jpg" } });
    await verifyCredentials({ url: `${server.url}/older.jpg?sig=abc` }, BASIC, "cdn");
    const seen = server.requests();
    expect(seen.map((r) => [r.url, r.status])).toEqual([
      ["/older.jpg?sig=abc", 302],
      ["/old.jpg", 302],
      ["/media/cat.jpg", 200],
    ]);
    expect(new Set(seen.map((r) => r.authorization))).toEqual(new Set([authorizationHeader(BASIC)]));
  });

  it("refuses a redirect to another origin; the other server receives nothing", async () => {
    const other = await storage();
    const server = await storage({ redirects: { "/x.jpg": `${other.url}/media/cat.jpg?token=SIGNED-123` } });
    const error = await failure({ url: `${server.url}/x.jpg` });
    expect(error.kind).toBe("redirect-refused");
    expect(error.message).toContain("another origin");
    expect(error.message).toContain(`${other.url}/media/cat.jpg`);
    expect(error.message).not.toContain("SIGNED-123");
    expect(other.requests()).toEqual([]);
  });

  it(`stops after ${MAX_STORAGE_REDIRECTS} redirects`, async () => {
    const server = await storage({ redirects: { "/loop": "/loop" } });
    const error = await failure({ url: `${server.url}/loop` });
    expect(error.kind).toBe("redirect-refused");
    expect(error.message).toContain(`more than ${MAX_STORAGE_REDIRECTS} times`);
    expect(server.requests()).toHaveLength(MAX_STORAGE_REDIRECTS + 1);
  });

  it("refuses a redirect from https to http (checked before any request is made)", () => {
    expect(checkRedirect(new URL("https://127.0.0.1:9/x"), "http://127.0.0.1:9/x")).toEqual({
      refused: expect.stringContaining("unencrypted"),
    });
  });

  it("hands back a 3xx that is the expected status without following it", async () => {
    const other = await storage();
    const server = await storage({ redirects: { "/x": `${other.url}/media/cat.jpg` } });
    await verifyCredentials({ url: `${server.url}/x`, expectStatus: 302 }, BASIC, "cdn");
    expect(other.requests()).toEqual([]);
  });

  it("never shows the query string, in success or failure", async () => {
    const server = await storage();
    const error = await failure(
      { url: `${server.url}/media/cat.jpg?X-Signature=SIGNED-SECRET&exp=1` },
      { basic: { username: USER, password: WRONG_PASSWORD } },
    );
    expect(error.message).not.toContain("SIGNED-SECRET");
    expect(error.message).not.toContain("?");
    expect(error.url).toBe(`${server.url}/media/cat.jpg`);
    const port = await closedPort();
    const unreachable = await failure({ url: `http://127.0.0.1:${port}/a?sig=SIGNED-SECRET` });
    expect(unreachable.message).not.toContain("SIGNED-SECRET");
  });

  it("retries once on a connection reset, then passes", async () => {
    let count = 0;
    const server = await raw((_, res) => {
      count++;
      if (count === 1) res.socket?.destroy();
      else {
        res.writeHead(200);
        res.end();
      }
    });
    await verifyCredentials({ url: `${server.url}/x` }, BASIC, "cdn");
    expect(server.seen).toHaveLength(2);
  });

  it("does not retry a second reset", async () => {
    const server = await raw((_, res) => {
      res.socket?.destroy();
    });
    const error = await failure({ url: `${server.url}/x` });
    expect(error.kind).toBe("unreachable");
    expect(error.message).toContain("closed the connection");
    expect(server.seen).toHaveLength(2);
  });

  it("ends at once when cancelled while the storage has not answered, and sends nothing once cancelled", async () => {
    let closed = 0;
    const server = await raw((_, res) => {
      res.on("close", () => closed++);
    });
    const controller = new AbortController();
    const verify = { url: `${server.url}/media/cat.jpg?sig=abc`, timeoutMs: 600_000 };
    const pending = verifyCredentials(verify, BASIC, "cdn_media", controller.signal).catch((e: unknown) => e);
    await expect.poll(() => server.seen.length).toBe(1);
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ stage: "headers", mayHaveWritten: false });
    const { message } = error as CancelledError;
    expect(message).toMatch(
      new RegExp(`^HEAD ${server.url}/media/cat.jpg \\(the check of media provider "cdn_media"`),
    );
    expect(message).toContain("Nothing was written to the API.");
    for (const secret of [PASSWORD, "sig=abc"]) expect(message).not.toContain(secret);
    await expect.poll(() => closed).toBe(1);
    const late = await verifyCredentials(verify, BASIC, "cdn_media", controller.signal).catch(
      (e: unknown) => e,
    );
    expect(late).toMatchObject({ code: "ERR_WHATSAPP_CANCELLED", stage: "before-sending" });
    expect(server.seen).toHaveLength(1);
  });
});
