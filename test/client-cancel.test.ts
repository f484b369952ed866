import { getEventListeners } from "node:events";
import type { ServerResponse } from "node:http";
import { createServer, type Socket } from "node:net";
import { Agent, type Dispatcher } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { MediaProviderClient } from "../src/client";
import { CancelledError } from "../src/errors";
import { type SeenRequest, startRawServer } from "./support/raw-server";

const TOKEN = "tok-Cancel-3b8e21d0";
const ENTRY = { name: "cdn", type: "www" as const, config: { bearer: "bearer-Cancel-9c04f6aa" } };
/** Deadlines only a cancellation can beat (retry waits in these tests are 30 to 60 s). */
const FAR = { callTimeoutMs: 600_000, requestTimeoutMs: 600_000 };

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A raw server that answers with `handler` and counts the requests the client gave up on. */
async function server(handler: (req: SeenRequest, res: ServerResponse) => void) {
  const counts = { aborted: 0 };
  const raw = await startRawServer((req, res) => {
    res.on("close", () => {
      if (!res.writableFinished) counts.aborted++;
    });
    handler(req, res);
  });
  servers.push(raw);
  return Object.assign(raw, { counts });
}

/** A server that never answers. */
const silent = () => server(() => {});

type Options = Partial<ConstructorParameters<typeof MediaProviderClient>[0]>;
const client = (baseUrl: string, signal: AbortSignal, options: Options = {}) =>
  new MediaProviderClient({ botId: "bot", apiToken: TOKEN, baseUrl, signal, ...FAR, ...options });

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<CancelledError> {
  const error = await promise.then(
    () => {
      throw new Error("resolved, but a rejection was expected");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CancelledError);
  const cancelled = error as CancelledError;
  expect(cancelled.code).toBe("ERR_WHATSAPP_CANCELLED");
  for (const secret of [TOKEN, ENTRY.config.bearer]) expect(cancelled.message).not.toContain(secret);
  return cancelled;
}

/** A dispatcher that tells when a response's headers have come (the body still unread). */
function observedDispatcher(onHeaders: () => void): Dispatcher {
  const agent = new Agent();
  servers.push({ close: () => agent.close() });
  return agent.compose(
    (dispatch) => (options, handler) =>
      dispatch(options, {
        onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
        onResponseStart: (controller, status, headers, message) => {
          handler.onResponseStart?.(controller, status, headers, message);
          onHeaders();
        },
        onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
        onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
        onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
      }),
  );
}

describe("MediaProviderClient cancelled by its signal", () => {
  it("ends a write sent and waiting for its headers (it may have been applied) and the request waiting for a connection behind it (not sent)", async () => {
    const raw = await silent();
    const controller = new AbortController();
    const c = client(raw.url, controller.signal, { maxConcurrency: 1 });
    const sent = rejection(c.upsert(ENTRY));
    await expect.poll(() => raw.seen.length).toBe(1);
    const waiting = rejection(c.delete("other"));
    controller.abort();
    const [write, queued] = await Promise.all([sent, waiting]);
    expect(write).toMatchObject({ stage: "headers", mayHaveWritten: true });
    expect(write.message).toMatch(
      new RegExp(`^POST ${raw.url}/\\S+ was cancelled, because the Pulumi engine told the provider to stop`),
    );
    expect(write.message).toContain("It had been sent and was waiting for the response headers.");
    expect(write.message).toContain("The API may have applied it");
    expect(queued).toMatchObject({ stage: "connection", mayHaveWritten: false });
    expect(queued.message).toMatch(new RegExp(`^DELETE ${raw.url}/\\S+/other was cancelled`));
    expect(queued.message).toContain("waiting for a free connection to the API");
    expect(queued.message).toContain("Nothing was written to the API.");
    // The one request sent was aborted at the server, and the queued one never left.
    await expect.poll(() => raw.counts.aborted).toBe(1);
    expect(raw.seen.map((r) => r.method)).toEqual(["POST"]);
  });

  it("listens to the signal once however many calls it ends, sent and waiting for a connection", async () => {
    const raw = await silent();
    const controller = new AbortController();
    const warnings: Error[] = [];
    const warned = (warning: Error) => warnings.push(warning);
    process.on("warning", warned);
    try {
      const c = client(raw.url, controller.signal, { maxConcurrency: 2 });
      const calls = Array.from({ length: 40 }, () => rejection(c.list()));
      await expect.poll(() => raw.seen.length).toBe(2);
      expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
      controller.abort();
      const stages = (await Promise.all(calls)).map((error) => error.stage);
      expect(stages.filter((stage) => stage === "headers")).toHaveLength(2);
      expect(stages.filter((stage) => stage === "connection")).toHaveLength(38);
      await expect.poll(() => raw.counts.aborted).toBe(2);
      expect(raw.seen).toHaveLength(2);
      expect(warnings.map((warning) => warning.name)).not.toContain("MaxListenersExceededWarning");
    } finally {
      process.off("warning", warned);
    }
  });

  it("takes a request whose connection is still opening out of undici's queue", async () => {
    // A TLS handshake that never ends: the request waits in undici's queue for its connection.
    const sockets: Socket[] = [];
    const tcp = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    servers.push({
      close: () => {
        for (const socket of sockets) socket.destroy();
        return new Promise((resolve) => tcp.close(() => resolve()));
      },
    });
    const origin = `https://127.0.0.1:${(tcp.address() as { port: number }).port}`;
    const agent = new Agent({ allowH2: false, connect: { timeout: 600_000 } });
    servers.push({ close: () => agent.destroy() });
    const controller = new AbortController();
    const listed = rejection(client(origin, controller.signal, { dispatcher: agent }).list());
    await expect.poll(() => sockets.length).toBe(1);
    expect(agent.stats[origin]).toMatchObject({ size: 1, running: 0 });
    controller.abort();
    await listed;
    expect(agent.stats[origin]).toMatchObject({ size: 0 });
  });

  it("ends a read sent and waiting for its headers, with nothing written", async () => {
    const raw = await silent();
    const controller = new AbortController();
    const listed = rejection(client(raw.url, controller.signal).list());
    await expect.poll(() => raw.seen.length).toBe(1);
    controller.abort();
    expect(await listed).toMatchObject({ stage: "headers", mayHaveWritten: false });
    await expect.poll(() => raw.counts.aborted).toBe(1);
  });

  it("ends a request receiving its body", async () => {
    const raw = await server((_req, res) => {
      res.writeHead(200, { "content-length": 1000, "content-type": "application/json" });
      res.write("{");
    });
    const controller = new AbortController();
    const dispatcher = observedDispatcher(() => controller.abort());
    const error = await rejection(client(raw.url, controller.signal, { dispatcher }).delete("cdn"));
    expect(error).toMatchObject({ stage: "body", mayHaveWritten: true });
    expect(error.message).toContain("It had been sent and was receiving the response body.");
    await expect.poll(() => raw.counts.aborted).toBe(1);
  });

  it("ends the wait before a retry; a write whose failed attempt reached the API may have been applied", async () => {
    const raw = await server((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const controller = new AbortController();
    const c = client(raw.url, controller.signal, {
      retry: { minDelayMs: 60_000, maxDelayMs: 60_000 },
      onRetry: () => controller.abort(),
    });
    const error = await rejection(c.upsert(ENTRY));
    expect(error).toMatchObject({ stage: "retry", mayHaveWritten: true });
    expect(error.message).toContain("It was waiting to be sent again after a failed attempt.");
    expect(error.message).toContain("An earlier attempt of it reached the API, which may have applied it");
    expect(raw.seen).toHaveLength(1);
  });

  it("listens to the signal once however many calls wait to retry, and ends every wait", async () => {
    const raw = await server((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const controller = new AbortController();
    let retries = 0;
    const c = client(raw.url, controller.signal, {
      retry: { minDelayMs: 60_000, maxDelayMs: 60_000 },
      onRetry: () => retries++,
    });
    const calls = Array.from({ length: 20 }, () => rejection(c.list()));
    await expect.poll(() => retries).toBe(20);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    const stages = (await Promise.all(calls)).map((error) => error.stage);
    expect(stages).toEqual(Array.from({ length: 20 }, () => "retry"));
    expect(raw.seen).toHaveLength(20);
  });

  it("ends the wait before a retry; a write whose attempt could not connect wrote nothing", async () => {
    const raw = await silent();
    const url = raw.url;
    await raw.close();
    const controller = new AbortController();
    const c = client(url, controller.signal, {
      retry: { minDelayMs: 60_000, maxDelayMs: 60_000 },
      onRetry: (event) => {
        expect(event.reason).toBe("ECONNREFUSED");
        controller.abort();
      },
    });
    const error = await rejection(c.upsert(ENTRY));
    expect(error).toMatchObject({ stage: "retry", mayHaveWritten: false });
    expect(error.message).toContain("Nothing was written to the API.");
  });

  it("sends nothing once cancelled: every later call fails at once", async () => {
    const raw = await silent();
    const controller = new AbortController();
    controller.abort();
    const c = client(raw.url, controller.signal);
    for (const call of [c.list(), c.upsert(ENTRY), c.delete("cdn")]) {
      const error = await rejection(call);
      expect(error).toMatchObject({ stage: "before-sending", mayHaveWritten: false });
      expect(error.message).toContain(
        "had not been sent: the provider had been told to stop before it started",
      );
    }
    expect(raw.connections()).toBe(0);
  });
});
