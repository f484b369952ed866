import { setTimeout as sleep } from "node:timers/promises";
import { CancelledError } from "../errors/cancelled-error";
import { WriteNotConfirmedError } from "../errors/write-not-confirmed-error";
import { type MediaProviderEntry, sameEntry } from "../types/media-provider";
import type { Connection } from "./connection";

/**
 * How long a write that the list does not confirm is repaired before it is reported. The budget
 * bounds when the last write may start; that write and the list confirming it are client calls,
 * each ended by the client's call deadline (`whatsapp:callTimeoutMs`, 120 s by default), so a write
 * that keeps being lost is reported within the budget plus two calls. A call that fails (a timed-out
 * one too) is reported at once, never repaired: repairing is for writes the API acknowledged. A
 * cancellation ends the wait between writes at once.
 */
export interface RepairOptions {
  /** Time from the first write after which no further write starts. Default 120,000 ms. */
  budgetMs: number;
  /** First wait between writes, doubled each time, with jitter. Default 100 ms. */
  minDelayMs: number;
  /** Longest wait between writes. Default 5,000 ms. */
  maxDelayMs: number;
}

const DEFAULT_REPAIR: RepairOptions = { budgetMs: 120_000, minDelayMs: 100, maxDelayMs: 5_000 };

/** Whether the list holds `entry` and nothing else under its name. */
export function holdsExactly(copies: MediaProviderEntry[], entry: MediaProviderEntry): boolean {
  return copies.length > 0 && copies.every((copy) => sameEntry(copy, entry));
}

/**
 * Upserts `entry`, then checks from the list that the bot holds exactly it (every copy of the
 * name, when the list holds it more than once). The API stores a bot's providers together, so a
 * write can be lost or overwritten by a concurrent writer after it was acknowledged: while the
 * list does not show it, it is written again, until the time budget is spent.
 */
export async function upsertConfirmed(
  { botId, client, view, signal }: Connection,
  entry: MediaProviderEntry,
  repair: RepairOptions = DEFAULT_REPAIR,
): Promise<void> {
  let copies: MediaProviderEntry[] = [];
  await repeatUntilConfirmed({ view, signal }, entry.name, repair, {
    write: () => client.upsert(entry),
    confirmed: async () => {
      copies = await view.get(entry.name);
      return holdsExactly(copies, entry);
    },
    notConfirmed: (writes, seconds) =>
      new WriteNotConfirmedError(
        botId,
        entry.name,
        writes,
        seconds,
        copies.length > 0 ? "holds other content" : "does not have it",
      ),
  });
}

/** Deletes the provider named `name`, then checks from the list that it is gone, deleting again until it is. */
export async function deleteConfirmed(
  { botId, client, view, signal }: Connection,
  name: string,
  repair: RepairOptions = DEFAULT_REPAIR,
): Promise<void> {
  await repeatUntilConfirmed({ view, signal }, name, repair, {
    write: () => client.delete(name),
    confirmed: async () => (await view.get(name)).length === 0,
    notConfirmed: (writes, seconds) => new WriteNotConfirmedError(botId, name, writes, seconds, "has it"),
  });
}

/** One kind of write to one name, and how to tell that the list shows it. */
interface ConfirmedWrite {
  write: () => Promise<void>;
  confirmed: () => Promise<boolean>;
  notConfirmed: (writes: number, seconds: number) => Error;
}

/**
 * Writes, then confirms; again with backoff and jitter while unconfirmed and within the budget.
 * A cancellation after the API acknowledged a write says so, whichever request it cut short.
 */
async function repeatUntilConfirmed(
  { view, signal }: Pick<Connection, "view" | "signal">,
  name: string,
  repair: RepairOptions,
  { write, confirmed, notConfirmed }: ConfirmedWrite,
): Promise<void> {
  const started = Date.now();
  let acknowledged = false;
  try {
    for (let writes = 1; ; writes++) {
      view.writing();
      try {
        await write();
      } finally {
        // Even a failed write may have been applied: later lookups must not use an older list.
        view.wrote(name);
      }
      acknowledged = true;
      if (await confirmed()) return;
      const elapsed = Date.now() - started;
      if (elapsed >= repair.budgetMs) throw notConfirmed(writes, Math.round(elapsed / 100) / 10);
      const backoff = Math.min(repair.minDelayMs * 2 ** (writes - 1), repair.maxDelayMs);
      // A cancellation cuts the wait short; the next write then fails at once, unsent.
      const delayMs = Math.min(backoff * (0.5 + Math.random() / 2), repair.budgetMs - elapsed);
      await sleep(delayMs, undefined, { signal }).catch(() => undefined);
    }
  } catch (error) {
    throw acknowledged && error instanceof CancelledError ? error.afterWrite() : error;
  }
}
