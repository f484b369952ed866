import { Struct } from "../../src/plugin/proto";

/** A copy of `value` without undefined values, which a Struct cannot hold. */
function defined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : defined(item)));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => [key, defined(item)]),
  );
}

/**
 * google-protobuf's own Struct of `props`, undefined values left out: a request's property bag as
 * the engine encodes it, and the reference the plugin's codec (struct-bytes.ts, protobuf-reader.ts)
 * is held to.
 */
export function toStruct(props: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(defined(props) as Parameters<typeof Struct.fromJavaScript>[0]);
}
