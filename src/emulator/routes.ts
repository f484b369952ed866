/** Where the provision endpoints live; `{botId}` and `{name}` follow as path segments. */
const PREFIX = "/whatsapp/v1/";

/** A request matched to a provision endpoint, with its path parameters URL-decoded. */
export type ProvisionRoute =
  | { kind: "list"; botId: string }
  | { kind: "upsert"; botId: string }
  | { kind: "delete"; botId: string; name: string };

/** The outcome of routing one request. */
export type RouteMatch =
  | ProvisionRoute
  | { kind: "messages"; botId: string }
  | { kind: "not-found" }
  | { kind: "method-not-allowed"; allow: string }
  | { kind: "bad-encoding" };

/**
 * Routes a request: `GET|POST /whatsapp/v1/{botId}/provision/provider`,
 * `DELETE /whatsapp/v1/{botId}/provision/provider/{name}` and `POST /whatsapp/v1/{botId}/messages`.
 * The query string is ignored.
 */
export function matchRoute(method: string, url: string): RouteMatch {
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (!path.startsWith(PREFIX)) return { kind: "not-found" };
  const messages = /^([^/]+)\/messages$/.exec(path.slice(PREFIX.length));
  if (messages?.[1] !== undefined) {
    let botId: string;
    try {
      botId = decodeURIComponent(messages[1]);
    } catch {
      return { kind: "bad-encoding" };
    }
    return method === "POST" ? { kind: "messages", botId } : { kind: "method-not-allowed", allow: "POST" };
  }
  const [rawBotId, provision, provider, rawName, ...rest] = path.slice(PREFIX.length).split("/");
  if (
    !rawBotId ||
    provision !== "provision" ||
    provider !== "provider" ||
    rawName === "" ||
    rest.length > 0
  ) {
    return { kind: "not-found" };
  }
  let botId: string;
  let name: string | undefined;
  try {
    botId = decodeURIComponent(rawBotId);
    name = rawName === undefined ? undefined : decodeURIComponent(rawName);
  } catch {
    return { kind: "bad-encoding" };
  }
  if (name === undefined) {
    if (method === "GET") return { kind: "list", botId };
    if (method === "POST") return { kind: "upsert", botId };
    return { kind: "method-not-allowed", allow: "GET, POST" };
  }
  if (method === "DELETE") return { kind: "delete", botId, name };
  return { kind: "method-not-allowed", allow: "DELETE" };
}
