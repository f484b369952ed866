import { valueAt } from "../utils/value-at";

/** The string the engine sends, during preview, for a value that is not known yet. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether `value`, or anything inside it, is not known yet. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Whether the value at `path` in `root`, or any object on the way to it, is not known yet. */
export function isUnknownAt(root: unknown, path: readonly PropertyKey[]): boolean {
  return (
    path.some((_, depth) => valueAt(root, path.slice(0, depth)) === UNKNOWN) ||
    containsUnknown(valueAt(root, path))
  );
}
