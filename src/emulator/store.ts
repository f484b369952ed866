import { EmulatorError } from "../errors/emulator-error";
import type { MediaProviderEntry } from "../types/media-provider";

/**
 * The providers of every bot, in memory. A name keeps its list position when overwritten and new
 * names are appended, which is what a `Map` gives for free.
 */
export class ProviderStore {
  readonly #bots = new Map<string, Map<string, MediaProviderEntry>>();
  readonly #onChange: () => void;

  /** @param onChange called after every change (used to save the state file). */
  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** Makes sure a bot exists, with no providers if it is new. */
  addBot(botId: string): void {
    if (!this.#bots.has(botId)) this.#bots.set(botId, new Map());
  }

  /** The bot's providers in list order; the entries are the stored objects, not copies. */
  list(botId: string): MediaProviderEntry[] {
    return [...this.#providersOf(botId).values()];
  }

  /** Adds or overwrites a provider; the store keeps the object as given. */
  put(botId: string, entry: MediaProviderEntry): void {
    this.#providersOf(botId).set(entry.name, entry);
    this.#onChange();
  }

  /** Removes a provider; returns whether it existed. */
  remove(botId: string, name: string): boolean {
    const removed = this.#providersOf(botId).delete(name);
    if (removed) this.#onChange();
    return removed;
  }

  /** Every bot's providers, for saving. */
  allBots(): Map<string, MediaProviderEntry[]> {
    return new Map([...this.#bots].map(([botId, providers]) => [botId, [...providers.values()]]));
  }

  /** Replaces the providers of the given bots without calling `onChange` (loading saved state). */
  load(bots: ReadonlyMap<string, MediaProviderEntry[]>): void {
    for (const [botId, entries] of bots) {
      this.#bots.set(botId, new Map(entries.map((entry) => [entry.name, entry])));
    }
  }

  #providersOf(botId: string): Map<string, MediaProviderEntry> {
    const providers = this.#bots.get(botId);
    if (providers === undefined) {
      throw new EmulatorError(
        "ERR_WHATSAPP_EMULATOR_UNKNOWN_BOT",
        `unknown bot "${botId}": the emulator serves only the bots it was started with (option bots, flag --bot)`,
      );
    }
    return providers;
  }
}
