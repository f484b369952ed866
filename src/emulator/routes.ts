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
  const [rawBotId, ...rest] = path.slice(PREFIX.length).split("/");
  if (!rawBotId) return { kind: "not-found" };
  const isMessages = rest.length === 1 && rest[0] === "messages";
  const isProvision = rest[0] === "provision" && rest[1] === "provider" && rest.length <= 3 && rest[2] !== "";
  if (!isMessages && !isProvision) return { kind: "not-found" };
  const decoded = decodeSegments(isMessages ? [rawBotId] : [rawBotId, ...rest.slice(2)]);
  if (decoded?.[0] === undefined) return { kind: "bad-encoding" };
  const [botId, name] = decoded;
  return isMessages ? matchMessages(method, botId) : matchProvision(method, botId, name);
}

// Undefined when a segment is not valid percent-encoding.
function decodeSegments(segments: string[]): string[] | undefined {
  try {
    return segments.map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function matchMessages(method: string, botId: string): RouteMatch {
  return method === "POST" ? { kind: "messages", botId } : { kind: "method-not-allowed", allow: "POST" };
}

function matchProvision(method: string, botId: string, name: string | undefined): RouteMatch {
  if (name === undefined) {
    if (method === "GET") return { kind: "list", botId };
    if (method === "POST") return { kind: "upsert", botId };
    return { kind: "method-not-allowed", allow: "GET, POST" };
  }
  if (method === "DELETE") return { kind: "delete", botId, name };
  return { kind: "method-not-allowed", allow: "DELETE" };
}
