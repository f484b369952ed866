import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MediaProviderClient } from "../src/client";
import { type Emulator, startEmulator } from "../src/emulator";
import { WriteNotConfirmedError } from "../src/errors";
import type { Connection } from "../src/provider/connection";
import { ProviderListView } from "../src/provider/provider-list-view";
import { deleteConfirmed, upsertConfirmed } from "../src/provider/write";

let emulator: Emulator;
let client: MediaProviderClient;
const entry = { name: "cdn", type: "www" as const, config: { bearer: "token-abc" } };

function connection(): Connection {
  return {
    botId: "bot",
    client,
    view: new ProviderListView(() => client.list(), {
      maxAgeMs: 60_000,
      minIntervalMs: 0,
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

  it("reports a write that keeps being lost, after three attempts", async () => {
    emulator.setFaults({ lostWriteRate: 1 });
    const error = await upsertConfirmed(connection(), entry).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteNotConfirmedError);
    expect((error as Error).message).toMatch(
      /Bot bot: after 3 writes of media provider "cdn" the provider list still does not have it/,
    );
    expect(emulator.counters().byMethod.POST).toBe(3);
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
    await upsertConfirmed(conn, entry);
    expect(emulator.providers("bot")).toEqual([entry]);
    expect(calls).toBe(2);
  });

  it("deletes again when a delete was lost, and accepts a name already gone", async () => {
    emulator.setProvider("bot", entry);
    emulator.setFaults({ script: ["lostWrite"] });
    await deleteConfirmed(connection(), "cdn");
    expect(emulator.providers("bot")).toEqual([]);
    expect(emulator.counters().byMethod.DELETE).toBe(2);
    await deleteConfirmed(connection(), "cdn");
  });
});
