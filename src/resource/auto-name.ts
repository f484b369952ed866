import { createHash } from "node:crypto";
import { PROVIDER_NAME_MAX_LENGTH } from "../types/media-provider";

const SUFFIX_LENGTH = 8;

/**
 * The name a provider gets when the program gives none: the resource name with the characters
 * the API refuses turned into `_`, a `-`, and eight letters derived from `seed`. Derived, not
 * random, so that preview and up show the same name; the seed (project, stack and resource name)
 * keeps two stacks on one bot apart. Digits are not allowed in names, so the suffix is letters.
 */
export function autoName(resourceName: string, seed: string): string {
  const digest = createHash("sha256").update(seed).digest();
  let suffix = "";
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += String.fromCharCode(97 + ((digest[i] ?? 0) % 26));
  const base = (resourceName.replace(/[^A-Za-z_-]/g, "_") || "provider").slice(
    0,
    PROVIDER_NAME_MAX_LENGTH - SUFFIX_LENGTH - 1,
  );
  return `${base}-${suffix}`;
}
