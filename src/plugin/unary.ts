import type { handleUnaryCall } from "@grpc/grpc-js";
import { currentSettings } from "../provider/context";
import { RESOURCE_INPUTS, secretPropertyNames } from "./json-schemas";
import type { Bag } from "./resource-messages";
import { toRpcStatus } from "./rpc-error";
import { isSecret } from "./wire-values";

/** One RPC of the plugin, apart from gRPC's calling convention. */
export interface Rpc<Request, Response> {
  /** Answers the request, or throws. */
  handle(request: Request): Promise<Response>;
  /** The request's property bags, whose secrets must not show in an error. */
  bags?(request: Request): Bag[];
}

/** Keys whose values are secrets wherever they appear: `apiToken`, `config`, `password`, `bearer`. */
const SECRET_KEYS = secretPropertyNames(RESOURCE_INPUTS);

/** Every string inside a secret wrapper or under a secret key of `value`. */
export function secretStrings(value: unknown, inSecret = false): string[] {
  if (typeof value === "string") return inSecret ? [value] : [];
  if (isSecret(value)) return secretStrings(value.value, true);
  if (Array.isArray(value)) return value.flatMap((item) => secretStrings(item, inSecret));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) =>
    secretStrings(item, inSecret || SECRET_KEYS.has(key)),
  );
}

/** The secrets an error of this call must not show: the request's, and the configured API token. */
async function knownSecrets<Request>(rpc: Rpc<Request, unknown>, request: Request): Promise<string[]> {
  const fromRequest = (rpc.bags?.(request) ?? []).flatMap((bag) => secretStrings(bag));
  const configured = await currentSettings().then(
    (settings) => settings.apiToken,
    () => undefined,
  );
  return configured === undefined ? fromRequest : [...fromRequest, configured];
}

/** The grpc-js handler of `rpc`: its answer, or its error as a gRPC status with no secret in it. */
export function unary<Request, Response>(rpc: Rpc<Request, Response>): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    rpc.handle(call.request).then(
      (response) => callback(null, response),
      async (error: unknown) => callback(toRpcStatus(error, await knownSecrets(rpc, call.request))),
    );
  };
}
