import { provider } from "./proto";
import type { Props } from "./wire-values";

const { DiffResponse, PropertyDiff } = provider;
const Kind = PropertyDiff.Kind;

/** The kind of change of one key: added, deleted or updated, and whether it replaces. */
function kindOf(old: unknown, next: unknown, replaces: boolean): provider.PropertyDiff.Kind {
  if (old === undefined) return replaces ? Kind.ADD_REPLACE : Kind.ADD;
  if (next === undefined) return replaces ? Kind.DELETE_REPLACE : Kind.DELETE;
  return replaces ? Kind.UPDATE_REPLACE : Kind.UPDATE;
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
): provider.DiffResponse {
  const response = new DiffResponse();
  const changed = [...replaces, ...updates];
  response.setChanges(
    changed.length > 0 ? DiffResponse.DiffChanges.DIFF_SOME : DiffResponse.DiffChanges.DIFF_NONE,
  );
  response.setReplacesList(replaces);
  response.setDiffsList(changed);
  response.setHasdetaileddiff(true);
  response.setDeletebeforereplace(false);
  const detailed = response.getDetaileddiffMap();
  for (const key of changed) {
    const diff = new PropertyDiff();
    diff.setKind(kindOf(olds[key], news[key], replaces.includes(key)));
    diff.setInputdiff(false);
    detailed.set(key, diff);
  }
  return response;
}
