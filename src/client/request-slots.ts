import type { Dispatcher } from "undici";
import { type AbortListener, listen, unlisten } from "./abort-listeners";

/** A request waiting for a slot: told `true` when it gets one, `false` when its call's deadline or a cancellation came first. */
class Waiter implements AbortListener {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly resolve: (taken: boolean) => void,
    /** Takes the waiter out of the line and tells it `false`. */
    private readonly leave: (waiter: Waiter) => void,
    endsAt: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(leave, Math.max(0, endsAt - performance.now()), this);
    if (signal !== undefined) listen(signal, this);
  }

  aborted(): void {
    this.leave(this);
  }

  tell(taken: boolean): void {
    clearTimeout(this.timer);
    if (this.signal !== undefined) unlisten(this.signal, this);
    this.resolve(taken);
  }
}

/**
 * The requests in flight to one origin through one dispatcher, at most `limit` (the dispatcher's
 * connections to it); the rest wait here, in order, rather than in undici's queue. So an attempt's
 * deadline counts from when its request can leave: a request behind a thousand others has not
 * been slow, and must not time out and be sent again for it.
 */
export class RequestSlots {
  private free: number;
  private readonly waiting: Waiter[] = [];
  /** Index of the first waiter in `waiting`: shifting a long array is linear. */
  private head = 0;

  constructor(limit: number) {
    this.free = limit;
  }

  /**
   * Takes a slot: `true` at once or when one is released, `false` if none was free by `endsAt`
   * (a `performance.now()` time) or `signal` aborted first (at once when it already has). Whoever
   * gets `true` must `release()` it.
   */
  take(endsAt: number, signal?: AbortSignal): boolean | Promise<boolean> {
    if (signal?.aborted) return false;
    if (this.free > 0) {
      this.free--;
      return true;
    }
    return new Promise((resolve) => this.waiting.push(new Waiter(resolve, this.leave, endsAt, signal)));
  }

  /** Gives a slot back: to the request that has waited longest, if any. */
  release(): void {
    const next = this.waiting[this.head];
    if (next === undefined) {
      this.free++;
      return;
    }
    this.head++;
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    }
    next.tell(true);
  }

  /** A waiter gives up (its deadline, or a cancellation): it gets no slot. */
  private readonly leave = (waiter: Waiter): void => {
    this.waiting.splice(this.waiting.indexOf(waiter, this.head), 1);
    waiter.tell(false);
  };
}

const shared = new WeakMap<Dispatcher, Map<string, RequestSlots>>();

/**
 * The slots of `origin` through `dispatcher`, shared by every client on it and made with the
 * `limit` of the first that asks: clients share a dispatcher only with the same limit, which is
 * the dispatcher's own.
 */
export function requestSlots(dispatcher: Dispatcher, origin: string, limit: number): RequestSlots {
  const byOrigin = shared.get(dispatcher) ?? new Map<string, RequestSlots>();
  shared.set(dispatcher, byOrigin);
  const slots = byOrigin.get(origin) ?? new RequestSlots(limit);
  byOrigin.set(origin, slots);
  return slots;
}
