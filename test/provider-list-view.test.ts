import { describe, expect, it } from "vitest";
import { type ListViewOptions, ProviderListView } from "../src/provider/provider-list-view";
import type { MediaProviderEntry } from "../src/types/media-provider";

function fakeApi() {
  const store = new Map<string, MediaProviderEntry>();
  let fetches = 0;
  return {
    store,
    fetches: () => fetches,
    async list(): Promise<MediaProviderEntry[]> {
      fetches++;
      const copy = [...store.values()];
      await new Promise((r) => setTimeout(r, 5));
      return copy;
    },
  };
}

/** The view's options: these defaults, with what a test sets. */
const options = (overrides: Partial<ListViewOptions> = {}): ListViewOptions => ({
  maxAgeMs: 60_000,
  minIntervalMs: 0,
  burst: 1,
  maxBatchMs: 1_000,
  ...overrides,
});

const entry = (name: string, bearer = "t"): MediaProviderEntry => ({ name, type: "www", config: { bearer } });

describe("ProviderListView", () => {
  it("answers many concurrent lookups with one list request", async () => {
    const api = fakeApi();
    for (let i = 0; i < 50; i++) api.store.set(`p${i}`, entry(`p${i}`));
    const view = new ProviderListView(api.list, options({ maxAgeMs: 1000, minIntervalMs: 50 }));
    const found = await Promise.all(Array.from({ length: 50 }, (_, i) => view.get(`p${i}`)));
    expect(found.every((copies) => copies.length === 1)).toBe(true);
    expect(api.fetches()).toBe(1);
  });

  it("never answers a lookup from a list that started before this process's write to that name", async () => {
    const api = fakeApi();
    const view = new ProviderListView(api.list, options());
    expect(await view.get("a")).toEqual([]);
    view.writing();
    api.store.set("a", entry("a"));
    view.wrote("a");
    expect(await view.get("a")).toEqual([entry("a")]);
    expect(api.fetches()).toBe(2);
    // A name not written since may still use the fresh-enough list.
    expect(await view.get("b")).toEqual([]);
    expect(api.fetches()).toBe(2);
  });

  it("does not join a list request already in flight when the write finished after it started", async () => {
    const api = fakeApi();
    const view = new ProviderListView(api.list, options());
    const early = view.get("a"); // starts a request that cannot see the write below
    await new Promise((r) => setTimeout(r, 2)); // the request has started, not finished
    expect(api.fetches()).toBe(1);
    view.writing();
    api.store.set("a", entry("a"));
    view.wrote("a");
    expect(await view.get("a")).toEqual([entry("a")]);
    expect(await early).toEqual([]);
  });

  it("batches confirmations of concurrent writes into few list requests", async () => {
    const api = fakeApi();
    const view = new ProviderListView(api.list, options({ maxAgeMs: 1000, minIntervalMs: 30 }));
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        view.writing();
        await new Promise((r) => setTimeout(r, i % 10));
        api.store.set(`p${i}`, entry(`p${i}`));
        view.wrote(`p${i}`);
        expect(await view.get(`p${i}`)).toEqual([entry(`p${i}`)]);
      }),
    );
    expect(api.fetches()).toBeLessThanOrEqual(3);
  });

  it("confirms a stream of writes with one list once none is in flight, or after the batch time", async () => {
    const api = fakeApi();
    const view = new ProviderListView(api.list, options({ maxBatchMs: 10_000 }));
    const slowWrite = async (name: string, ms: number) => {
      view.writing();
      await new Promise((r) => setTimeout(r, ms));
      api.store.set(name, entry(name));
      view.wrote(name);
      return view.get(name);
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => slowWrite(`w${i}`, 5 + i * 3)));
    expect(results.every((copies) => copies.length === 1)).toBe(true);
    expect(api.fetches()).toBe(1);

    const capped = new ProviderListView(api.list, options({ maxBatchMs: 20 }));
    capped.writing(); // a write that hangs must not hold confirmations back for longer than the batch time
    capped.writing();
    api.store.set("quick", entry("quick"));
    capped.wrote("quick");
    expect(await capped.get("quick")).toEqual([entry("quick")]);
  });

  it("spaces list requests further apart the longer the list is", async () => {
    const api = fakeApi();
    for (let i = 0; i < 3_000; i++) api.store.set(`p${i}`, entry(`p${i}`));
    const view = new ProviderListView(api.list, options({ maxAgeMs: 0, minIntervalMs: 20 }));
    await view.get("p1");
    const first = performance.now();
    await new Promise((r) => setTimeout(r, 2));
    await view.get("p1"); // too old: a new list, but not before 3 × 20 ms after the first started
    expect(performance.now() - first).toBeGreaterThanOrEqual(50);
    expect(api.fetches()).toBe(2);
  });

  it("starts up to `burst` lists back to back, then one per interval", async () => {
    const api = fakeApi();
    const view = new ProviderListView(api.list, options({ maxAgeMs: 0, minIntervalMs: 200, burst: 2 }));
    const startedAt: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) {
      const before = api.fetches();
      const lookup = view.get("a");
      while (api.fetches() === before) await new Promise((r) => setTimeout(r, 1));
      startedAt.push(performance.now() - t0);
      await lookup;
      await new Promise((r) => setTimeout(r, 2)); // older than maxAgeMs: each lookup needs a new list
    }
    // A create's lookup and confirmation do not wait; the third list waits for credit to come back.
    expect(startedAt[1]).toBeLessThan(100);
    expect(startedAt[2]).toBeGreaterThanOrEqual(150);
  });

  it("refetches after the maximum age", async () => {
    const api = fakeApi();
    const view = new ProviderListView(api.list, options({ maxAgeMs: 0 }));
    await view.get("a");
    await new Promise((r) => setTimeout(r, 2));
    await view.get("a");
    expect(api.fetches()).toBe(2);
  });

  it("does not keep a failed request for later lookups", async () => {
    let fail = true;
    const view = new ProviderListView(async () => {
      if (fail) throw new Error("boom");
      return [entry("a")];
    }, options());
    await expect(view.get("a")).rejects.toThrow("boom");
    fail = false;
    expect(await view.get("a")).toEqual([entry("a")]);
  });

  it("stops waiting for the writes in flight when its signal aborts, and requests the list at once", async () => {
    const api = fakeApi();
    const controller = new AbortController();
    const view = new ProviderListView(api.list, options({ maxBatchMs: 600_000, signal: controller.signal }));
    view.writing();
    const lookup = view.get("a");
    await new Promise((r) => setTimeout(r, 20));
    expect(api.fetches()).toBe(0);
    controller.abort();
    expect(await lookup).toEqual([]);
    expect(api.fetches()).toBe(1);
  });

  it("returns every copy of a name the list holds more than once, in list order", async () => {
    const other = entry("dup", "other");
    const ours = entry("dup", "ours");
    const view = new ProviderListView(async () => [other, entry("x"), ours], options({ maxAgeMs: 1000 }));
    expect(await view.get("dup")).toEqual([other, ours]);
  });
});
