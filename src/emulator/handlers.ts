import { mediaProviderSchema } from "../types/media-provider-schema";
import { type Answer, errorAnswer } from "./http-io";
import type { ProvisionRoute } from "./routes";
import type { ProviderStore } from "./store";
import { describeIssues } from "./validation";

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
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") return errorAnswer(400, "Content-Type must be application/json");
  let json: unknown;
  try {
    json = JSON.parse(body?.toString("utf8") ?? "");
  } catch {
    // The parser's message quotes the body, which may hold a password: say only that it failed.
    return errorAnswer(400, "the body is not valid JSON");
  }
  const parsed = mediaProviderSchema.safeParse(json);
  if (!parsed.success) return errorAnswer(400, describeIssues(parsed.error.issues));
  store.put(botId, parsed.data);
  return OK_EMPTY;
}
