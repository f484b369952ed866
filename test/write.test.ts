import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MediaProviderClient } from "../src/client";
import { type Emulator, startEmulator } from "../src/emulator";
import { CallTimeoutError, CancelledError, WriteNotConfirmedError } from "../src/errors";
import type { Connection } from "../src/provider/connection";
import { ProviderListView } from "../src/provider/provider-list-view";
import { deleteConfirmed, upsertConfirmed } from "../src/provider/write";
import { startRawServer } from "./support/raw-server";

let emulator: Emulator;
let client: MediaProviderClient;
const entry = { name: "cdn", type: "www" as const, config: { bearer: "token-abc" } };
/** A repair budget that keeps the tests short. */
const quick = { budgetMs: 10_000, minDelayMs: 1, maxDelayMs: 20 };

function connection(): Connection {
  return {
    botId: "bot",
    client,
    view: new ProviderListView(() => client.list(), {
      maxAgeMs: 60_000,
      minIntervalMs: 0,
      burst: 1,
      maxBatchMs: 1_000,
    }),
  };
}

beforeAll(async () => {
  emulator = await startEmulator({ bots: { bot: "tok" } });
  client = new MediaProviderClient({
    botId: "bot",
    apiToken: "tok",
    baseUrl: emulator.url,
    retry: { minDelayMs: 1 },
  });
});
beforeEach(() => {
  for (const p of emulator.providers("bot")) emulator.removeProvider("bot", p.name);
  emulator.setFaults({});
  emulator.resetCounters();
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

describe("writes confirmed from the list", () => {
  it("writes again when the list does not show a write the API acknowledged (a lost update)", async () => {
    emulator.setFaults({ script: ["lostWrite"] });
    await upsertConfirmed(connection(), entry);
    expect(emulator.providers("bot")).toEqual([entry]);
    expect(emulator.counters().byMethod).toEqual({ POST: 2, GET: 2 });
  });

  it("keeps repairing a write lost four times in a row (old code gave up after three)", async () => {
    // Steps apply to every request in turn: each lost POST is followed by the GET that finds it lost.
    emulator.setFaults({ script: ["lostWrite", "ok", "lostWrite", "ok", "lostWrite", "ok", "lostWrite"] });
    await upsertConfirmed(connection(), entry, quick);
    expect(emulator.providers("bot")).toEqual([entry]);
    expect(emulator.counters().byMethod.POST).toBe(5);
  });

  it("repairs writes at an 80% lost-write rate", async () => {
    emulator.setFaults({ lostWriteRate: 0.8 });
    for (let i = 0; i < 5; i++) {
      const e = { ...entry, name: `cdn${"x".repeat(i)}` };
      await upsertConfirmed(connection(), e, quick);
      expect(emulator.providers("bot")).toContainEqual(e);
    }
  });

  it("reports a write that keeps being lost only when the time budget is spent", async () => {
    emulator.setFaults({ lostWriteRate: 1 });
    const error = await upsertConfirmed(connection(), entry, { ...quick, budgetMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WriteNotConfirmedError);
    const { writes } = error as WriteNotConfirmedError;
    expect(writes).toBeGreaterThan(3);
    expect((error as Error).message).toMatch(
      new RegExp(
        `Bot bot: after ${writes} writes of media provider "cdn" over [\\d.]+ s the provider list still does not have it`,
      ),
    );
    expect(emulator.counters().byMethod.POST).toBe(writes);
  });

  it("writes again when another writer put other content in between", async () => {
    const conn = connection();
    const original = conn.client.upsert.bind(conn.client);
    let calls = 0;
    conn.client = Object.assign(Object.create(client), {
      async upsert(e: typeof entry) {
        await original(e);
        // A concurrent writer overwrites ours right after the first write.
        if (++calls === 1) emulator.setProvider("bot", { ...entry, config: { bearer: "someone-else" } });
      },
    });
    await upsertConfirmed(conn, entry, quick);
    expect(emulator.providers("bot")).toEqual([entry]);
    expect(calls).toBe(2);
  });

  it("deletes again when a delete was lost, and accepts a name already gone", async () => {
    emulator.setProvider("bot", entry);
    emulator.setFaults({ script: ["lostWrite"] });
    await deleteConfirmed(connection(), "cdn", quick);
    expect(emulator.providers("bot")).toEqual([]);
    expect(emulator.counters().byMethod.DELETE).toBe(2);
    await deleteConfirmed(connection(), "cdn");
  });

  it("reports a write whose call ran out of its deadline at once, without writing again", async () => {
    const silent = await startRawServer(() => {});
    const slow = new MediaProviderClient({
      botId: "bot",
      apiToken: "tok",
      baseUrl: silent.url,
      callTimeoutMs: 300,
    });
    const conn = { ...connection(), client: slow };
    const error = await upsertConfirmed(conn, entry, quick).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(silent.seen.map((r) => r.method)).toEqual(["POST"]);
    await slow.close();
    await silent.close();
  });

  it("ends the wait before writing again when cancelled, and says that a write of the operation reached the API", async () => {
    // The API acknowledges every write and lists none, so the write is repaired after 30 to 60 s.
    const forgetful = await startRawServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(req.method === "GET" ? '{"settings":{"application":{"media":{"providers":[]}}}}' : "{}");
    });
    const controller = new AbortController();
    const { signal } = controller;
    const cancellable = new MediaProviderClient({
      botId: "bot",
      apiToken: "tok",
      baseUrl: forgetful.url,
      signal,
    });
    const conn: Connection = {
      botId: "bot",
      client: cancellable,
      // Cancelled once the list that does not confirm the write has been read: in the wait.
      view: new ProviderListView(
        () => cancellable.list().finally(() => setImmediate(() => controller.abort())),
        { maxAgeMs: 60_000, minIntervalMs: 0, burst: 1, maxBatchMs: 1_000, signal },
      ),
      signal,
    };
    const repair = { budgetMs: 600_000, minDelayMs: 60_000, maxDelayMs: 60_000 };
    const error = await upsertConfirmed(conn, entry, repair).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toMatchObject({ stage: "before-sending", mayHaveWritten: true });
    expect((error as CancelledError).message).toContain(
      "A write made earlier by this operation reached the API",
    );
    expect(forgetful.seen.map((r) => r.method)).toEqual(["POST", "GET"]);
    await cancellable.close();
    await forgetful.close();
  });
});
