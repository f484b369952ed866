import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { listen, unlisten } from "../src/client/abort-listeners";

/** A listener that records its name in `told` when told. */
const named = (name: string, told: string[]) => ({ aborted: () => told.push(name) });

describe("abort listeners", () => {
  it("tells every listener of a signal when it aborts, through one event listener, and not those that left", () => {
    const controller = new AbortController();
    const told: string[] = [];
    const listeners = Array.from({ length: 50 }, (_, i) => named(`l${i}`, told));
    for (const listener of listeners) listen(controller.signal, listener);
    for (const listener of listeners.slice(0, 10)) unlisten(controller.signal, listener);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    expect(told).toEqual([]);
    controller.abort();
    expect(told).toEqual(listeners.slice(10).map((_, i) => `l${i + 10}`));
  });

  it("tells each signal's listeners only, once, and lets a listener leave while it is told", () => {
    const first = new AbortController();
    const second = new AbortController();
    const told: string[] = [];
    const leaving = {
      aborted: () => {
        told.push("leaving");
        unlisten(first.signal, leaving);
      },
    };
    listen(first.signal, leaving);
    listen(first.signal, named("first", told));
    listen(second.signal, named("second", told));
    first.abort();
    first.abort();
    expect(told).toEqual(["leaving", "first"]);
    second.abort();
    expect(told).toEqual(["leaving", "first", "second"]);
  });
});
