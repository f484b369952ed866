import { DiffChanges, DiffKind, type DiffResponse } from "./resource-messages";
import type { Props } from "./wire-values";

/** The kind of change of one key: added, deleted or updated, and whether it replaces. */
function kindOf(old: unknown, next: unknown, replaces: boolean): DiffResponse["detailedDiff"][number][1] {
  if (old === undefined) return replaces ? DiffKind.ADD_REPLACE : DiffKind.ADD;
  if (next === undefined) return replaces ? DiffKind.DELETE_REPLACE : DiffKind.DELETE;
  return replaces ? DiffKind.UPDATE_REPLACE : DiffKind.UPDATE;
}

/**
 * A detailed diff: the keys that changed (`diffs`), how each changed (`detailedDiff`, comparing old
 * state with new inputs, so drift found by a refresh shows too), which replace, and DIFF_NONE when
 * nothing changed.
 */
export function diffResponse(
  { replaces, updates }: { replaces: string[]; updates: string[] },
  olds: Props,
  news: Props,
): DiffResponse {
  const changed = [...replaces, ...updates];
  return {
    changes: changed.length > 0 ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE,
    replaces,
    diffs: changed,
    detailedDiff: changed.map((key) => [key, kindOf(olds[key], news[key], replaces.includes(key))]),
  };
}
