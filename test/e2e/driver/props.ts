/**
 * Property values as the Pulumi engine sees them on the wire and in its state.
 *
 * Values are kept in RPC form: plain JSON, with a secret written as
 * `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}` at the exact path
 * where the program marked it (this is what `RegisterResourceRequest.object` carries), and an unknown
 * (preview only) as the string `04da6b54-80e4-46f7-96ec-b56ff0331ba9`. Helpers here unwrap secrets for
 * a provider that does not accept them, copy secretness from inputs to outputs the way the engine's
 * `annotateSecrets` does, list secret paths, and write values the way a state export stores them.
 */
import { randomBytes } from "node:crypto";
import { unknownValue } from "@pulumi/pulumi/runtime";

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's placeholder for a value not known yet (preview), as the SDK defines it. */
export const UNKNOWN: string = unknownValue;

export type PropertyMap = Record<string, unknown>;
export interface SecretValue {
  [SIG_KEY]: typeof SECRET_SIG;
  value: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const isSecret = (v: unknown): v is SecretValue => isPlainObject(v) && v[SIG_KEY] === SECRET_SIG;

/** A plain (non-secret, non-special) object: the engine's `IsObject()`. */
const isObjectValue = (v: unknown): v is Record<string, unknown> => isPlainObject(v) && !(SIG_KEY in v);

export const makeSecret = (v: unknown): unknown => (isSecret(v) ? v : { [SIG_KEY]: SECRET_SIG, value: v });

/** Deeply replaces every secret by its value: what a provider with acceptSecrets=false is sent. */
export function unwrapSecrets<T = unknown>(v: T): T {
  if (isSecret(v)) return unwrapSecrets(v.value) as T;
  if (Array.isArray(v)) return v.map((e) => unwrapSecrets(e)) as T;
  if (isPlainObject(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, unwrapSecrets(e)])) as T;
  }
  return v;
}

/** Every string in `v` (keys and values) outside any secret: where a leaked secret would show. */
export function plainStrings(v: unknown): string[] {
  if (isSecret(v)) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.flatMap(plainStrings);
  if (isPlainObject(v)) return Object.entries(v).flatMap(([k, e]) => [k, ...plainStrings(e)]);
  return [];
}

export function containsSecrets(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecrets);
  if (isPlainObject(v)) return Object.values(v).some(containsSecrets);
  return false;
}

export function containsUnknowns(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknowns);
  if (isPlainObject(v)) return Object.values(v).some(containsUnknowns);
  return false;
}

const keyPath = (prefix: string, key: string): string =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? (prefix ? `${prefix}.${key}` : key) : `${prefix}[${JSON.stringify(key)}]`;

/** Paths (`a`, `a.b`, `list[0]`, `m["x-y"]`) of every secret in `v`, outermost first. */
export function secretPaths(v: unknown, prefix = ""): string[] {
  if (isSecret(v)) return [prefix, ...secretPaths(v.value, prefix).filter((p) => p !== prefix)];
  if (Array.isArray(v)) return v.flatMap((e, i) => secretPaths(e, `${prefix}[${i}]`));
  if (isPlainObject(v)) return Object.entries(v).flatMap(([k, e]) => secretPaths(e, keyPath(prefix, k)));
  return [];
}

/**
 * The engine's `annotateSecrets(outs, ins)`: for each key present in both, recurse when both are plain
 * objects; otherwise mark the output value secret when the input value contains any secret.
 */
export function annotateSecrets(outs: PropertyMap, ins: PropertyMap): PropertyMap {
  const result: PropertyMap = { ...outs };
  for (const [key, inValue] of Object.entries(ins)) {
    if (!(key in result)) continue;
    const outValue = result[key];
    if (isObjectValue(outValue) && isObjectValue(inValue)) {
      result[key] = annotateSecrets(outValue, inValue);
    } else if (!isSecret(outValue) && containsSecrets(inValue)) {
      result[key] = makeSecret(outValue);
    }
  }
  return result;
}

/** Marks the listed top-level keys secret (the `additionalSecretOutputs` resource option). */
export function markSecretKeys(outs: PropertyMap, keys: readonly string[]): PropertyMap {
  const result: PropertyMap = { ...outs };
  for (const key of keys) if (key in result) result[key] = makeSecret(result[key]);
  return result;
}

/** An opaque stand-in for an encrypted value that never contains the plain text. */
function ciphertextFor(plain: unknown): string {
  const text = JSON.stringify(plain) ?? "";
  const needles = [text, typeof plain === "string" ? plain : text].filter((s) => s.length > 0);
  for (;;) {
    const cipher = `v1:${randomBytes(12).toString("base64")}:${randomBytes(24).toString("base64")}`;
    if (!needles.some((n) => cipher.includes(n))) return cipher;
  }
}

/** Writes a value the way a state export does: each secret becomes `{sig, ciphertext}`. */
export function encryptSecrets(v: unknown): unknown {
  if (isSecret(v)) return { [SIG_KEY]: SECRET_SIG, ciphertext: ciphertextFor(unwrapSecrets(v.value)) };
  if (Array.isArray(v)) return v.map(encryptSecrets);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, encryptSecrets(e)]));
  return v;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((e, i) => deepEqual(e, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
