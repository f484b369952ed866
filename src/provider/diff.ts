import { isDeepStrictEqual } from "node:util";
import type { dynamic } from "@pulumi/pulumi";
import { containsUnknown } from "./unknown";

type Props = Record<string, unknown>;

/** Keys whose change means another provider: names are unique per bot, and a bot is a separate store. */
const REPLACE_KEYS = ["botId", "name"] as const;
/** Keys changed in place by an upsert. */
const UPDATE_KEYS = ["type", "config", "region", "baseUrl", "apiToken", "adoptExisting", "verify"] as const;

function differs(old: unknown, next: unknown): boolean {
  return containsUnknown(next) || !isDeepStrictEqual(old, next);
}

/** The keys among `keys` whose new value differs from the old one (or is not known yet). */
export function changedKeys<K extends string>(keys: readonly K[], olds: Props, news: Props): K[] {
  return keys.filter((key) => differs(olds[key], news[key]));
}

/** What changes between the old outputs and the new inputs: keys that replace, keys updated in place. */
export function diffKeys(olds: Props, news: Props): { replaces: string[]; updates: string[] } {
  return { replaces: changedKeys(REPLACE_KEYS, olds, news), updates: changedKeys(UPDATE_KEYS, olds, news) };
}

/**
 * Compares the old outputs (which hold the live type and config after a refresh, so drift shows
 * up) with the new inputs. Dynamic providers ignore `replaceOnChanges`, hence `replaces`.
 */
export async function diff(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  const { replaces, updates } = diffKeys(olds, news);
  return { changes: replaces.length > 0 || updates.length > 0, replaces, deleteBeforeReplace: false };
}
