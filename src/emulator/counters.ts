import type { FaultKind } from "./faults";

/** What the emulator has seen since start or the last `resetCounters()`. */
export interface EmulatorCounters {
  /** Every request received, on any path. */
  requests: number;
  /** Requests by HTTP method. */
  byMethod: Record<string, number>;
  /** Answers by status code (dropped requests have none). */
  byStatus: Record<string, number>;
  /** Injected faults by kind. */
  faults: Record<FaultKind, number>;
  /** Bytes sent in response bodies. */
  bytesSent: number;
  /** Highest number of requests in flight at once, per bot id. */
  maxConcurrentByBot: Record<string, number>;
  /** Writes of the state file (changes made together, or while a write is in flight, share one write). */
  stateWrites: number;
  /** Messages sent through `POST /whatsapp/v1/{botId}/messages`, one per recipient, and media downloads. */
  messages: { delivered: number; failed: number; downloads: number };
}

function emptyCounters(): EmulatorCounters {
  return {
    requests: 0,
    byMethod: {},
    byStatus: {},
    faults: { "429": 0, "503": 0, drop: 0, dropAfterWrite: 0, lostWrite: 0, concurrency429: 0 },
    bytesSent: 0,
    maxConcurrentByBot: {},
    stateWrites: 0,
    messages: { delivered: 0, failed: 0, downloads: 0 },
  };
}

/** Mutable counters behind {@link EmulatorCounters}, updated on the request path. */
export class CounterSet {
  #c = emptyCounters();

  /** Counts one request received. */
  request(method: string): void {
    this.#c.requests++;
    increment(this.#c.byMethod, method);
  }

  /** Counts one answer and its body size. */
  answer(status: number, bodyBytes: number): void {
    increment(this.#c.byStatus, String(status));
    this.#c.bytesSent += bodyBytes;
  }

  /** Counts one injected fault. */
  fault(kind: FaultKind): void {
    this.#c.faults[kind]++;
  }

  /** Records how many requests a bot has in flight, keeping the highest. */
  inFlight(botId: string, count: number): void {
    if (count > ownValue(this.#c.maxConcurrentByBot, botId)) setOwn(this.#c.maxConcurrentByBot, botId, count);
  }

  /** Counts one write of the state file. */
  stateWrite(): void {
    this.#c.stateWrites++;
  }

  /** Counts one message to one recipient by its outcome. */
  message(state: "delivered" | "failed"): void {
    this.#c.messages[state]++;
  }

  /** Counts one media download attempted. */
  download(): void {
    this.#c.messages.downloads++;
  }

  /** A copy, so callers cannot change the live counters. */
  snapshot(): EmulatorCounters {
    return structuredClone(this.#c);
  }

  /** Sets every counter back to zero. */
  reset(): void {
    this.#c = emptyCounters();
  }
}

// Keys come from requests (methods) and options (bot ids such as `__proto__`): read and write own
// properties only, never the prototype.
function ownValue(record: Record<string, number>, key: string): number {
  return Object.hasOwn(record, key) ? (record[key] ?? 0) : 0;
}

function setOwn(record: Record<string, number>, key: string, value: number): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function increment(record: Record<string, number>, key: string): void {
  setOwn(record, key, ownValue(record, key) + 1);
}
