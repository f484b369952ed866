import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MediaProviderClient } from "../src/client";
import { createDispatcher } from "../src/client/dispatcher";
import { RequestSlots } from "../src/client/request-slots";
import { type Emulator, startEmulator } from "../src/emulator";
import { CallTimeoutError } from "../src/errors";

const TOKEN = "bot-token-0123456789";
const far = () => performance.now() + 60_000;

describe("RequestSlots", () => {
  it("gives at most its limit at once, and the rest in the order they asked as slots are released", async () => {
    const slots = new RequestSlots(2);
    expect(slots.take(far())).toBe(true);
    expect(slots.take(far())).toBe(true);
    const order: string[] = [];
    const third = Promise.resolve(slots.take(far())).then((taken) => order.push(`third ${taken}`));
    const fourth = Promise.resolve(slots.take(far())).then((taken) => order.push(`fourth ${taken}`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    slots.release();
    await third;
    expect(order).toEqual(["third true"]);
    slots.release();
    await fourth;
    expect(order).toEqual(["third true", "fourth true"]);
    slots.release();
    slots.release();
    expect(slots.take(far())).toBe(true);
  });

  it("tells a request whose deadline came first that it got none, and gives the next slot to the one after it", async () => {
    const slots = new RequestSlots(1);
    expect(slots.take(far())).toBe(true);
    const late = slots.take(performance.now() + 30);
    const next = slots.take(far());
    expect(await late).toBe(false);
    slots.release();
    expect(await next).toBe(true);
    expect(slots.take(performance.now())).toBeInstanceOf(Promise);
  });

  it("tells a waiting request whose signal aborts that it got none, and gives none once aborted", async () => {
    const slots = new RequestSlots(1);
    const controller = new AbortController();
    expect(slots.take(far(), controller.signal)).toBe(true);
    const cancelled = slots.take(far(), controller.signal);
    const next = slots.take(far());
    controller.abort();
    expect(await cancelled).toBe(false);
    expect(slots.take(far(), controller.signal)).toBe(false);
    slots.release();
    expect(await next).toBe(true);
  });
});

describe("MediaProviderClient with every connection busy", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ bots: { bot: TOKEN } });
  });
  afterAll(() => emulator.close());

  const client = (options: Partial<ConstructorParameters<typeof MediaProviderClient>[0]>) =>
    new MediaProviderClient({ botId: "bot", apiToken: TOKEN, baseUrl: emulator.url, ...options });

  it("counts an attempt's deadline from when its request can leave, not while it waits for a connection", async () => {
    emulator.setFaults({ latencyMs: 150 });
    emulator.resetCounters();
    // Each request takes 150 ms of a deadline of 250; the fourth waits 450 ms for the one connection.
    const c = client({ maxConcurrency: 1, requestTimeoutMs: 250, retry: { maxRetries: 0 } });
    try {
      const ends = await Promise.allSettled(["a", "b", "c", "d"].map((n) => c.delete(`gone_${n}`)));
      expect(ends.map((e) => e.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
      expect(emulator.counters().byMethod.DELETE).toBe(4);
    } finally {
      await c.close();
      emulator.setFaults({});
    }
  });

  it("ends a call that waited its whole deadline for a connection, says it was never sent, and sends nothing", async () => {
    emulator.setFaults({ latencyMs: 600 });
    emulator.resetCounters();
    const dispatcher = createDispatcher({ maxConcurrency: 1 });
    const patient = client({ dispatcher, maxConcurrency: 1 });
    const hurried = client({ dispatcher, maxConcurrency: 1, callTimeoutMs: 200 });
    try {
      const first = patient.delete("gone_a");
      const started = performance.now();
      const error = await hurried.delete("gone_b").then(
        () => undefined,
        (e: unknown) => e,
      );
      const waited = performance.now() - started;
      expect(error).toBeInstanceOf(CallTimeoutError);
      expect((error as CallTimeoutError).waitingFor).toBe("connection");
      expect((error as CallTimeoutError).message).toContain("had not been sent");
      expect((error as CallTimeoutError).message).toContain("whatsapp:maxConcurrency");
      expect(waited).toBeGreaterThanOrEqual(190);
      await first;
      expect(emulator.counters().byMethod.DELETE).toBe(1);
    } finally {
      await dispatcher.close();
      emulator.setFaults({});
    }
  });
});
