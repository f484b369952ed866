import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { EmulatorError } from "../errors/emulator-error";
import type { MediaProviderEntry } from "../types/media-provider";
import { mediaProviderSchema } from "../types/media-provider-schema";
import { mapSchema } from "./map-schema";
import { describeIssues } from "./validation";

// Names are not checked: entries planted with `setProvider` may predate the 2020-03-10 name rule.
const stateFileSchema = z.strictObject({
  version: z.literal(1),
  bots: mapSchema(z.array(mediaProviderSchema.extend({ name: z.string().min(1) }))),
});

/** Every bot's providers in list order, as the state file holds them. */
export type SavedBots = Map<string, MediaProviderEntry[]>;

const stateFileError = (message: string, cause?: unknown) =>
  new EmulatorError("ERR_WHATSAPP_EMULATOR_STATE_FILE", message, { cause });

/**
 * Reads a state file written by {@link StateWriter}. Returns `undefined` when the file does not
 * exist; throws when it exists but is not a valid state file (rather than overwriting it later).
 */
export async function readStateFile(path: string): Promise<SavedBots | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw stateFileError(`cannot read state file ${path}: ${(error as Error).message}`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw stateFileError(`state file ${path} is not valid JSON`);
  }
  const parsed = stateFileSchema.safeParse(json);
  if (!parsed.success) {
    throw stateFileError(`state file ${path} is invalid: ${describeIssues(parsed.error.issues)}`);
  }
  return parsed.data.bots;
}

/** Turns the store into the text of a state file. */
export function serializeState(bots: SavedBots): string {
  // fromEntries makes own properties, so a bot id such as `__proto__` is written as a key.
  return `${JSON.stringify({ version: 1, bots: Object.fromEntries(bots) }, null, 2)}\n`;
}

interface Waiter {
  /** The change count this waiter needs on disk. */
  upTo: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Saves state to a file after changes, durably: a temp file written and fsynced, renamed over the
 * file, then the directory fsynced; mode 0600 since it holds secrets. One write is in flight at a
 * time; changes made meanwhile share the next write (group commit), so {@link StateWriter.saved}
 * resolves only once every change made before the call is on disk.
 */
export class StateWriter {
  readonly #path: string;
  readonly #render: () => string;
  readonly #onWrite: () => void;
  #changes = 0;
  #saved = 0;
  #waiters: Waiter[] = [];
  #writing = false;
  #closed = false;

  /**
   * @param path the state file
   * @param render produces the file's text; called once per write, not once per change
   * @param onWrite called after each successful write
   */
  constructor(path: string, render: () => string, onWrite: () => void) {
    this.#path = path;
    this.#render = render;
    this.#onWrite = onWrite;
  }

  /** Notes a change; it is written soon, with any other changes made meanwhile. */
  changed(): void {
    if (this.#closed) return;
    this.#changes++;
    // Nobody waits for this one here: a failure is reported to whoever waits with saved() or flush().
    this.saved().catch(() => undefined);
  }

  /** Resolves once every change made so far is on disk; rejects if the write that holds them fails. */
  saved(): Promise<void> {
    if (this.#saved >= this.#changes) return Promise.resolve();
    const upTo = this.#changes;
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ upTo, resolve, reject });
      this.#next();
    });
  }

  /** Writes pending changes now (again, if their write failed) and waits for them. */
  flush(): Promise<void> {
    return this.saved();
  }

  /** Flushes, then ignores further changes. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.#closed = true;
    }
  }

  // Starts a write when none is in flight and someone waits; the waiters of a running write are
  // served by it, later ones by the next.
  #next(): void {
    if (this.#writing || this.#waiters.length === 0) return;
    this.#writing = true;
    // Let the changes of requests that arrived together join this write.
    setImmediate(() => {
      this.#write().finally(() => {
        this.#writing = false;
        this.#next();
      });
    });
  }

  async #write(): Promise<void> {
    const upTo = this.#changes;
    try {
      await writeDurably(this.#path, this.#render());
    } catch (error) {
      this.#settle(upTo, (waiter) =>
        waiter.reject(
          stateFileError(`cannot write state file ${this.#path}: ${(error as Error).message}`, error),
        ),
      );
      return;
    }
    this.#saved = Math.max(this.#saved, upTo);
    this.#onWrite();
    this.#settle(upTo, (waiter) => waiter.resolve());
  }

  #settle(upTo: number, settle: (waiter: Waiter) => void): void {
    const done = this.#waiters.filter((waiter) => waiter.upTo <= upTo);
    this.#waiters = this.#waiters.filter((waiter) => waiter.upTo > upTo);
    for (const waiter of done) settle(waiter);
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const file = await open(temp, "wx", 0o600);
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

// Makes the rename itself survive a crash. Some platforms cannot open or sync a directory (Windows):
// the rename is still atomic there, only its durability is up to the system.
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r").catch(() => undefined);
  if (handle === undefined) return;
  try {
    await handle.sync();
  } catch {
    // As above: not every file system syncs directories.
  } finally {
    await handle.close();
  }
}
