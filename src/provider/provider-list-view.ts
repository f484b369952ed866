import type { MediaProviderEntry } from "../types/media-provider";

/** How list requests to one bot are shared. */
export interface ListViewOptions {
  /** How long a fetched list may serve lookups of names this process has not written since. */
  maxAgeMs: number;
  /**
   * Time to earn back one list request once the burst is spent, per 1,000 providers in the last
   * list (and at least this): a list costs in proportion to its length, so a long one is fetched
   * less often. With a burst of 1 it is the least time between the starts of two list requests.
   */
  minIntervalMs: number;
  /**
   * How many list requests may start back to back; one more is earned back per `minIntervalMs`.
   * A create needs two in a row (its lookup, then its confirmation), so a stack of a few resources
   * never waits for the interval.
   */
  burst: number;
  /**
   * Longest a lookup waits for the writes in flight to finish, so that one list request confirms
   * them all, before a list is requested anyway.
   */
  maxBatchMs: number;
  /**
   * When it aborts, lookups stop waiting for a batch or for the interval: the list request starts
   * at once (and its client, cancelled by the same signal, fails it without sending anything).
   */
  signal?: AbortSignal | undefined;
}

interface Snapshot {
  /** Logical time at which the request started: later than every write it can see. */
  seq: number;
  startedAt: number;
  entries: Promise<Map<string, MediaProviderEntry[]>>;
}

/**
 * One bot's provider list, shared by every operation of the process so that N operations do
 * not fetch N lists. The rule that keeps it correct: a lookup of a name is answered only from a
 * list whose request started after this process's last write to that name completed, so no
 * read returns a state older than a write it could observe.
 *
 * Confirmations after writes are batched: while other writes to the bot are in flight, the next
 * list request waits for them (at most `maxBatchMs`), so a thousand writes are confirmed by a
 * few lists rather than one each.
 *
 * Hand-made rather than undici's `deduplicate` interceptor, because that one joins any
 * identical GET in flight, including one that started before our write: exactly the stale read
 * that a confirmation after a write must not get.
 */
export class ProviderListView {
  private clock = 0;
  private latest: Snapshot | undefined;
  private upcoming: { promise: Promise<Snapshot>; resolve: (s: Snapshot) => void; since: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** List requests that may start now without waiting (up to `burst`), as of `creditAt`. */
  private credit: number;
  private creditAt = 0;
  private lastSize = 0;
  private writesInFlight = 0;
  private readonly writtenAt = new Map<string, number>();

  constructor(
    private readonly fetchList: () => Promise<MediaProviderEntry[]>,
    private readonly options: ListViewOptions,
  ) {
    this.credit = options.burst;
    options.signal?.addEventListener("abort", () => this.schedule(), { once: true });
  }

  /**
   * The entries named `name` (none, one, or several when the list holds the name more than once),
   * in list order, from a list that reflects this process's last write to it.
   */
  async get(name: string): Promise<MediaProviderEntry[]> {
    const after = this.writtenAt.get(name) ?? 0;
    const latest = this.latest;
    const usable =
      latest !== undefined && latest.seq > after && Date.now() - latest.startedAt <= this.options.maxAgeMs;
    const snapshot = usable ? latest : await this.next();
    return (await snapshot.entries).get(name) ?? [];
  }

  /** Records that a write to the bot is starting. */
  writing(): void {
    this.writesInFlight++;
  }

  /** Records that a write to `name` has finished (or failed: it may still have been applied). */
  wrote(name: string): void {
    this.writesInFlight--;
    this.writtenAt.set(name, ++this.clock);
    this.schedule();
  }

  /** The next list request, shared by all who ask before it starts. */
  private next(): Promise<Snapshot> {
    if (this.upcoming) return this.upcoming.promise;
    let resolve: (s: Snapshot) => void = () => {};
    const promise = new Promise<Snapshot>((r) => {
      resolve = r;
    });
    this.upcoming = { promise, resolve, since: Date.now() };
    this.schedule();
    return promise;
  }

  /** Starts the upcoming request when it is due: no write in flight, or waited long enough. */
  private schedule(): void {
    const upcoming = this.upcoming;
    if (!upcoming) return;
    const now = Date.now();
    const due = this.options.signal?.aborted
      ? now
      : Math.max(
          this.allowedAt(now),
          this.writesInFlight > 0 ? upcoming.since + this.options.maxBatchMs : Number.NEGATIVE_INFINITY,
        );
    clearTimeout(this.timer);
    if (due > now) {
      this.timer = setTimeout(() => this.schedule(), due - now);
      return;
    }
    this.upcoming = undefined;
    upcoming.resolve(this.start());
  }

  /** Credit earned back by `now`: one list per interval, scaled by the last list's length. */
  private creditNow(now: number): { credit: number; intervalMs: number } {
    const intervalMs = this.options.minIntervalMs * Math.max(1, this.lastSize / 1_000);
    const earned = intervalMs > 0 ? (now - this.creditAt) / intervalMs : Number.POSITIVE_INFINITY;
    return { credit: Math.min(this.options.burst, this.credit + earned), intervalMs };
  }

  /** The earliest time a list request may start. */
  private allowedAt(now: number): number {
    const { credit, intervalMs } = this.creditNow(now);
    return credit >= 1 ? now : now + (1 - credit) * intervalMs;
  }

  private start(): Snapshot {
    const startedAt = Date.now();
    this.credit = this.creditNow(startedAt).credit - 1;
    this.creditAt = startedAt;
    const snapshot: Snapshot = {
      seq: ++this.clock,
      startedAt,
      entries: this.fetchList().then((list) => {
        this.lastSize = list.length;
        return byName(list);
      }),
    };
    this.latest = snapshot;
    // A failed request must not serve later lookups; its own waiters still get the error.
    snapshot.entries.catch(() => {
      if (this.latest === snapshot) this.latest = undefined;
    });
    return snapshot;
  }
}

/** Entries grouped by name, in list order (`Map.groupBy` needs Node 21). */
function byName(list: MediaProviderEntry[]): Map<string, MediaProviderEntry[]> {
  const map = new Map<string, MediaProviderEntry[]>();
  for (const entry of list) {
    const copies = map.get(entry.name);
    if (copies) copies.push(entry);
    else map.set(entry.name, [entry]);
  }
  return map;
}
