import { mediaProviderSchema } from "../types/media-provider-schema";
import type { Answer } from "./http-io";
import { parseJsonBody } from "./json-body";
import type { ProvisionRoute } from "./routes";
import type { ProviderStore } from "./store";

/** Empty 200, as the spec answers successful writes. */
const OK_EMPTY: Answer = { status: 200 };

/**
 * Applies an authorized provision request to the store and says what to answer.
 * `body` is the raw request body (upserts only) and `contentType` its `Content-Type` header.
 */
export function handleProvision(
  route: ProvisionRoute,
  store: ProviderStore,
  contentType: string | undefined,
  body: Buffer | undefined,
): Answer {
  switch (route.kind) {
    case "list":
      return {
        status: 200,
        body: { settings: { application: { media: { providers: store.list(route.botId) } } } },
      };
    case "upsert":
      return upsert(route.botId, store, contentType, body);
    case "delete":
      // The spec documents no 404: deleting a missing name is a successful no-op.
      store.remove(route.botId, route.name);
      return OK_EMPTY;
  }
}

function upsert(
  botId: string,
  store: ProviderStore,
  contentType: string | undefined,
  body: Buffer | undefined,
): Answer {
  const parsed = parseJsonBody(mediaProviderSchema, contentType, body);
  if (!parsed.ok) return parsed.answer;
  store.put(botId, parsed.data);
  return OK_EMPTY;
}
