import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { type StorageServer, type StorageServerOptions, startStorageServer } from "../src/emulator";

const USER = "svc";
const PASSWORD = "storage-Pa55";
const TOKEN = "storage-bearer-token";
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
const BEARER = `Bearer ${TOKEN}`;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

const started: StorageServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function start(options: Partial<StorageServerOptions> = {}): Promise<StorageServer> {
  const server = await startStorageServer({
    files: {
      "/img/logo.png": { contentType: "image/png", body: PNG },
      "notes.txt": { contentType: "text/plain", body: "hello" },
    },
    ...options,
  });
  started.push(server);
  return server;
}

async function get(url: string, authorization?: string, method: "GET" | "HEAD" | "PUT" = "GET") {
  const res = await request(url, { method, headers: authorization ? { authorization } : {} });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

describe("storage server", () => {
  it("listens on 127.0.0.1 on a free port", async () => {
    const server = await start();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it("serves a file with the right Basic credentials, GET and HEAD", async () => {
    const server = await start({ basic: { username: USER, password: PASSWORD } });
    const got = await get(`${server.url}/img/logo.png`, BASIC);
    expect(got.status).toBe(200);
    expect(got.headers["content-type"]).toBe("image/png");
    expect(got.body.equals(PNG)).toBe(true);
    const head = await get(`${server.url}/img/logo.png?sig=1`, BASIC, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(String(PNG.length));
    expect(head.body.length).toBe(0);
  });

  it("serves a file with the right Bearer token; paths without a leading slash are normalized", async () => {
    const server = await start({ bearer: TOKEN });
    const got = await get(`${server.url}/notes.txt`, BEARER);
    expect(got.status).toBe(200);
    expect(got.body.toString()).toBe("hello");
    expect((await get(`${server.url}/notes.txt`, "bearer storage-bearer-token")).status).toBe(200);
  });

  it("answers 401 with a WWW-Authenticate challenge for missing or wrong credentials", async () => {
    const server = await start({ basic: { username: USER, password: PASSWORD }, bearer: TOKEN });
    for (const auth of [
      undefined,
      "Bearer nope",
      `Basic ${Buffer.from(`${USER}:bad`).toString("base64")}`,
      "Digest x",
    ]) {
      const reply = await get(`${server.url}/img/logo.png`, auth);
      expect(reply.status).toBe(401);
      expect(reply.headers["www-authenticate"]).toEqual([
        'Basic realm="storage", charset="UTF-8"',
        'Bearer realm="storage"',
      ]);
    }
    expect((await get(`${server.url}/img/logo.png`, BASIC)).status).toBe(200);
    expect((await get(`${server.url}/img/logo.png`, BEARER)).status).toBe(200);
  });

  it("is public without basic or bearer; 404 for unknown paths", async () => {
    const server = await start();
    expect((await get(`${server.url}/img/logo.png`)).status).toBe(200);
    expect((await get(`${server.url}/nope.png`)).status).toBe(404);
  });

  it("checks credentials before saying whether a file exists", async () => {
    const server = await start({ bearer: TOKEN });
    expect((await get(`${server.url}/nope.png`)).status).toBe(401);
    expect((await get(`${server.url}/nope.png`, BEARER)).status).toBe(404);
  });

  it("answers 405 for other methods, and for HEAD when allowHead is false", async () => {
    const server = await start({ allowHead: false });
    const put = await get(`${server.url}/img/logo.png`, undefined, "PUT");
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe("GET");
    expect((await get(`${server.url}/img/logo.png`, undefined, "HEAD")).status).toBe(405);
    expect((await get(`${server.url}/img/logo.png`)).status).toBe(200);
  });

  it("answers redirects before checking credentials, 302 or the status given", async () => {
    const server = await start({
      bearer: TOKEN,
      redirects: { "/a": "/img/logo.png", "/b": { location: "http://elsewhere.test/x", status: 308 } },
    });
    const a = await get(`${server.url}/a?x=1`);
    expect(a.status).toBe(302);
    expect(a.headers.location).toBe("/img/logo.png");
    const b = await get(`${server.url}/b`);
    expect(b.status).toBe(308);
    expect(b.headers.location).toBe("http://elsewhere.test/x");
  });

  it("records each request with its Authorization header and status", async () => {
    const server = await start({ bearer: TOKEN });
    await get(`${server.url}/img/logo.png?sig=abc`, BEARER);
    await get(`${server.url}/img/logo.png`);
    const seen = server.requests();
    expect(seen).toEqual([
      { method: "GET", url: "/img/logo.png?sig=abc", authorization: BEARER, status: 200 },
      { method: "GET", url: "/img/logo.png", authorization: undefined, status: 401 },
    ]);
    seen.pop();
    expect(server.requests()).toHaveLength(2);
  });

  it("closes idempotently, keep-alive connections included", async () => {
    const server = await start();
    await get(`${server.url}/img/logo.png`);
    await Promise.all([server.close(), server.close()]);
    await expect(get(`${server.url}/img/logo.png`)).rejects.toThrow();
    started.splice(0);
  });
});
