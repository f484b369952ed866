import { readFileSync } from "node:fs";
import { createSecureServer, type Http2SecureServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDispatcher } from "../src/client";
import { CounterSet } from "../src/emulator/counters";
import { MediaDownloader } from "../src/emulator/media-download";
import { verifyCredentials } from "../src/verification";

// A certificate for 127.0.0.1, trusted by this test file's process only.
const TLS = join(__dirname, "support", "tls");
const cert = readFileSync(join(TLS, "cert.pem"), "utf8");
const key = readFileSync(join(TLS, "key.pem"), "utf8");

/** A TLS server that offers HTTP/2 first and HTTP/1.1 too, and records the version of each request. */
async function startH2Server(): Promise<{ url: string; versions: string[]; server: Http2SecureServer }> {
  const versions: string[] = [];
  const server = createSecureServer({ cert, key, allowHTTP1: true }, (req, res) => {
    versions.push(req.httpVersion);
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, versions, server };
}

const defaults = getCACertificates("default");
let h2: Awaited<ReturnType<typeof startH2Server>>;
beforeAll(async () => {
  setDefaultCACertificates([...defaults, cert]);
  h2 = await startH2Server();
});
afterAll(async () => {
  setDefaultCACertificates(defaults);
  await new Promise((resolve) => h2.server.close(resolve));
});

// undici 8 negotiates HTTP/2 when a TLS server offers it; this package stays on HTTP/1.1, where a
// connection carries one request at a time and `maxConcurrency` connections bound the requests in flight.
describe("HTTP/1.1 to a server that offers HTTP/2", () => {
  it("the API client's dispatcher speaks HTTP/1.1", async () => {
    h2.versions.length = 0;
    const dispatcher = createDispatcher({});
    try {
      const response = await dispatcher.request({ origin: h2.url, path: "/v1/x", method: "GET" });
      expect(await response.body.text()).toBe("ok");
    } finally {
      await dispatcher.close();
    }
    expect(h2.versions).toEqual(["1.1"]);
  });

  it("deploy-time verification speaks HTTP/1.1", async () => {
    h2.versions.length = 0;
    await verifyCredentials({ url: `${h2.url}/media/cat.jpg` }, { bearer: "token" }, "cdn");
    expect(h2.versions).toEqual(["1.1"]);
  });

  it("the emulator's media downloads speak HTTP/1.1", async () => {
    h2.versions.length = 0;
    const downloader = new MediaDownloader(new CounterSet(), 10_000);
    try {
      await downloader.download("image", new URL(`${h2.url}/media/cat.jpg`), undefined);
    } finally {
      await downloader.close();
    }
    expect(h2.versions).toEqual(["1.1"]);
  });
});
