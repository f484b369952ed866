import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { z } from "zod";
import type { MediaProviderEntry } from "../types/media-provider";
import { mediaProviderSchema } from "../types/media-provider-schema";
import { describeIssues } from "./validation";

// Names are not checked: entries planted with `setProvider` may predate the 2020-03-10 name rule.
const stateFileSchema = z.strictObject({
  version: z.literal(1),
  bots: z.record(z.string(), z.array(mediaProviderSchema.extend({ name: z.string().min(1) }))),
});

/** Waits this long after a change before writing, so a burst of changes becomes one write. */
const COALESCE_MS = 20;

/**
 * Reads a state file written by {@link StateWriter}. Returns `undefined` when the file does not
 * exist; throws when it exists but is not a valid state file (rather than overwriting it later).
 */
export async function readStateFile(path: string): Promise<Record<string, MediaProviderEntry[]> | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`state file ${path} is not valid JSON`);
  }
  const parsed = stateFileSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`state file ${path} is invalid: ${describeIssues(parsed.error.issues)}`);
  return parsed.data.bots;
}

/** Turns the store into the text of a state file. */
export function serializeState(bots: Record<string, MediaProviderEntry[]>): string {
  return `${JSON.stringify({ version: 1, bots }, null, 2)}\n`;
}

/**
 * Saves state to a file after changes: atomically (temp file, then rename), mode 0600 since it holds
 * secrets, at most one write in flight, and changes made meanwhile coalesced into the next write.
 * A failed write is reported by the next {@link StateWriter.flush}.
 */
export class StateWriter {
  readonly #path: string;
  readonly #render: () => string;
  readonly #onWrite: () => void;
  #dirty = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #error: unknown;

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

  /** Notes a change; the file is written soon after. */
  schedule(): void {
    if (this.#closed) return;
    this.#dirty = true;
    this.#arm();
  }

  /** Writes pending changes now and waits for them; throws if a write since the last flush failed. */
  async flush(): Promise<void> {
    for (;;) {
      if (this.#writing !== undefined) {
        await this.#writing;
        continue;
      }
      if (!this.#dirty) break;
      clearTimeout(this.#timer);
      this.#start();
    }
    if (this.#error !== undefined) {
      const error = this.#error;
      this.#error = undefined;
      throw error;
    }
  }

  /** Flushes, then ignores further changes. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.#closed = true;
    }
  }

  // Changes made during a write wait for the next window too, so writes are at least COALESCE_MS apart.
  #arm(): void {
    if (this.#timer !== undefined || this.#writing !== undefined) return;
    this.#timer = setTimeout(() => this.#start(), COALESCE_MS);
    // The server keeps the process alive while it runs; a pending write alone should not.
    this.#timer.unref();
  }

  #start(): void {
    this.#timer = undefined;
    this.#dirty = false;
    this.#writing = this.#write().finally(() => {
      this.#writing = undefined;
      if (this.#dirty) this.#arm();
    });
  }

  async #write(): Promise<void> {
    try {
      await writeAtomically(this.#path, this.#render());
      this.#onWrite();
    } catch (error) {
      this.#error = error;
    }
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
