import { UNKNOWN } from "../utils/pulumi-wire";
import { valueAt } from "../utils/value-at";

/** Whether `value` is a string that is known and not empty. */
export function isKnownString(value: unknown): value is string {
  return typeof value === "string" && value !== UNKNOWN && value.length > 0;
}

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
