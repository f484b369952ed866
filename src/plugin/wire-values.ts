import { SECRET_SIG, SIG_KEY } from "../utils/pulumi-wire";
import type { Struct } from "./proto";
import type { Bag } from "./resource-messages";

/** Property values as the operations in `src/provider` take them. */
export type Props = Record<string, unknown>;

/** Properties read off the wire: plain values, and the top-level keys that held a secret anywhere. */
export interface Received {
  props: Props;
  secretKeys: Set<string>;
}

function isObject(value: unknown): value is Props {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Whether `value` is a secret in the engine's wire format. */
export function isSecret(value: unknown): value is { value: unknown } {
  return isObject(value) && value[SIG_KEY] === SECRET_SIG;
}

/** `value` as a secret in the engine's wire format. */
export function secret(value: unknown): Props {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** `value` with every secret inside it unwrapped, and whether there was one. */
export function unwrapSecrets(value: unknown): { value: unknown; secret: boolean } {
  if (isSecret(value)) return { value: unwrapSecrets(value.value).value, secret: true };
  if (!Array.isArray(value) && !isObject(value)) return { value, secret: false };
  let found = false;
  const unwrap = (item: unknown): unknown => {
    const inner = unwrapSecrets(item);
    found ||= inner.secret;
    return inner.value;
  };
  const unwrapped = Array.isArray(value)
    ? value.map(unwrap)
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrap(item)]));
  return { value: unwrapped, secret: found };
}

/** The properties of a request's property bag, secrets unwrapped; `{}` when the engine sent none. */
export function received(bag: Bag): Received {
  const props: Props = {};
  const secretKeys = new Set<string>();
  for (const [key, raw] of Object.entries(bag ?? {})) {
    const { value, secret: wasSecret } = unwrapSecrets(raw);
    props[key] = value;
    if (wasSecret) secretKeys.add(key);
  }
  return { props, secretKeys };
}

/** The properties of a request's Struct (a google-protobuf one), as `received` reads them. */
export const fromStruct = (struct: Struct | undefined): Received => received(struct?.toJavaScript());
