import { WriteNotConfirmedError } from "../errors/write-not-confirmed-error";
import { type MediaProviderEntry, sameEntry } from "../types/media-provider";
import type { Connection } from "./connection";

/** Writes tried before a write that the list does not confirm is reported. */
const MAX_WRITE_ATTEMPTS = 3;

/**
 * Upserts `entry`, then checks from the list that the bot holds exactly it. The API stores a
 * bot's providers together, so a concurrent writer can overwrite ours: a mismatch is written again.
 */
export async function upsertConfirmed(
  { botId, client, view }: Connection,
  entry: MediaProviderEntry,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    view.writing();
    try {
      await client.upsert(entry);
    } finally {
      // Even a failed POST may have been applied: later lookups must not use an older list.
      view.wrote(entry.name);
    }
    const live = await view.get(entry.name);
    if (live && sameEntry(live, entry)) return;
    if (attempt === MAX_WRITE_ATTEMPTS) {
      throw new WriteNotConfirmedError(
        botId,
        entry.name,
        attempt,
        live ? "holds other content" : "does not have it",
      );
    }
  }
}

/** Deletes the provider named `name`, then checks from the list that it is gone. */
export async function deleteConfirmed({ botId, client, view }: Connection, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    view.writing();
    try {
      await client.delete(name);
    } finally {
      view.wrote(name);
    }
    if ((await view.get(name)) === undefined) return;
    if (attempt === MAX_WRITE_ATTEMPTS) throw new WriteNotConfirmedError(botId, name, attempt, "has it");
  }
}
