/**
 * Requests to a company's media storage with a provider's credentials, as WhatsApp makes them:
 * used by deploy-time verification and by the emulator's media downloads. Credentials go only to
 * the URL's own origin, and no message holds a secret or a query string.
 */
import { type Dispatcher, request } from "undici";
import { type MediaProviderConfig, secretsOf } from "../types/media-provider";
import { redact } from "../utils/redact";
import { USER_AGENT } from "../utils/user-agent";

/** Most redirects followed, all on the URL's own origin. */
export const MAX_STORAGE_REDIRECTS = 5;
/** Most bytes of a GET answer read before it is discarded. */
export const STORAGE_BODY_BYTES = 4096;

/** Statuses that redirect. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Errors worth the one retry: a keep-alive connection the storage closed meanwhile. */
const RESET_CODES: ReadonlySet<string> = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

/**
 * The `Authorization` header WhatsApp sends with a provider's credentials:
 * `Basic base64(username:password)` (UTF-8) or `Bearer <token>`.
 */
export function authorizationHeader(config: MediaProviderConfig): string {
  if ("basic" in config) {
    const { username, password } = config.basic;
    return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
  }
  return `Bearer ${config.bearer}`;
}

/** Everything that must never appear in a message about these credentials. */
export function credentialSecrets(config: MediaProviderConfig): string[] {
  const header = authorizationHeader(config);
  return [...secretsOf(config), header, header.slice(header.indexOf(" ") + 1)];
}

/** A URL as shown in messages: origin and path, without the query string (it may hold a signed token). */
export function urlForDisplay(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Where a redirect from `current` to `location` may go: the same origin (scheme, host and port)
 * only, never from https to http, never with credentials in the URL. Returns the next URL, or
 * why the redirect must not be followed.
 */
export function checkRedirect(current: URL, location: string): { url: URL } | { refused: string } {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    return { refused: "it redirected to a Location that is not a valid URL" };
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    return { refused: `it redirected to a ${next.protocol.slice(0, -1)}: URL, which is not http or https` };
  }
  if (next.username !== "" || next.password !== "") {
    return { refused: `it redirected to a URL with credentials in it (${urlForDisplay(next)})` };
  }
  if (current.protocol === "https:" && next.protocol === "http:") {
    return {
      refused: `it redirected from https to http (${urlForDisplay(next)}); following it would send the credentials unencrypted`,
    };
  }
  if (next.origin !== current.origin) {
    return {
      refused: `it redirected to another origin (${urlForDisplay(next)}); the credentials are sent only to ${current.origin}, and the storage must serve the file itself`,
    };
  }
  return { url: next };
}

/** Why {@link requestStorage} got no answer to hand back. The message holds no secret and no query string. */
export class StorageRequestError extends Error {
  readonly kind: "redirect-refused" | "unreachable" | "timeout";
  readonly causeCode: string | undefined;
  /** The URL of the failed hop, as {@link urlForDisplay} shows it. */
  readonly url: string;

  constructor(kind: StorageRequestError["kind"], url: string, message: string, causeCode?: string) {
    super(message);
    this.name = "StorageRequestError";
    this.kind = kind;
    this.url = url;
    this.causeCode = causeCode;
  }
}

/** How {@link requestStorage} sends a request. */
export interface StorageRequestOptions {
  method: "HEAD" | "GET";
  /** The `Authorization` header value, or none for a public file. */
  authorization?: string | undefined;
  dispatcher: Dispatcher;
  /** Aborts the whole exchange, redirects included. */
  signal: AbortSignal;
  /** The time `signal` stands for, for messages. */
  timeoutMs: number;
  /** Secrets to remove from messages, beside the authorization header itself. */
  secrets?: string[] | undefined;
  /** Answers with this status are handed back even when they are redirects. */
  acceptStatus?: number | undefined;
}

/** The final answer of {@link requestStorage}; its body is unread and the caller must consume it. */
export interface StorageResponse extends Dispatcher.ResponseData {
  /** The URL that answered (after same-origin redirects). */
  url: URL;
  /** How many redirects were followed. */
  redirects: number;
}

/** Drops a response body unread (closing its connection) without an unhandled `error` event. */
export function discardBody(body: Dispatcher.ResponseData["body"]): void {
  body.on("error", () => undefined);
  body.destroy();
}

function causeCodeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

function describeNetworkError(code: string | undefined, message: string): string {
  switch (code) {
    case "ENOTFOUND":
      return "the host name does not resolve (ENOTFOUND)";
    case "EAI_AGAIN":
      return "the host name could not be resolved now (EAI_AGAIN)";
    case "ECONNREFUSED":
      return "the connection was refused: nothing listens on that host and port (ECONNREFUSED)";
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
      return `the storage closed the connection without answering (${code})`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `the host cannot be reached (${code})`;
  }
  if (code !== undefined && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO/.test(code)) {
    return `the TLS connection failed (${code}): ${message}`;
  }
  return `${code ?? "network error"}: ${message}`;
}

/**
 * Sends a HEAD or GET to a storage the way WhatsApp downloads media: with one `Authorization`
 * header, following at most {@link MAX_STORAGE_REDIRECTS} redirects and only those that
 * {@link checkRedirect} allows (same origin, no downgrade), re-sending the credentials on them.
 * Retries once on a connection reset. Throws {@link StorageRequestError} when no answer can be
 * handed back.
 */
export async function requestStorage(url: URL, options: StorageRequestOptions): Promise<StorageResponse> {
  const { method, authorization, dispatcher, signal, timeoutMs, acceptStatus } = options;
  const secrets = [
    ...(options.secrets ?? []),
    authorization,
    authorization?.slice(authorization.indexOf(" ") + 1),
  ];
  const headers: Record<string, string> = { "user-agent": USER_AGENT, accept: "*/*" };
  if (authorization !== undefined) headers.authorization = authorization;
  let current = url;
  let retried = false;
  for (let redirects = 0; ; ) {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(current, { dispatcher, method, headers, signal });
    } catch (error) {
      const code = causeCodeOf(error);
      if (signal.aborted || (code !== undefined && TIMEOUT_CODES.has(code))) {
        throw new StorageRequestError(
          "timeout",
          urlForDisplay(current),
          `no answer within ${timeoutMs} ms`,
          code,
        );
      }
      if (!retried && code !== undefined && RESET_CODES.has(code)) {
        retried = true;
        continue;
      }
      const message = error instanceof Error ? error.message : String(error);
      // Network errors name hosts, not URLs; remove the URL and its query string anyway.
      const hidden = [...secrets, current.href, current.search.length > 1 ? current.search : undefined];
      throw new StorageRequestError(
        "unreachable",
        urlForDisplay(current),
        redact(describeNetworkError(code, message), hidden),
        code,
      );
    }
    const { statusCode } = response;
    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(statusCode) || statusCode === acceptStatus || location === undefined) {
      return Object.assign(response, { url: current, redirects });
    }
    await response.body.dump({ limit: STORAGE_BODY_BYTES, signal }).catch(() => undefined);
    if (redirects >= MAX_STORAGE_REDIRECTS) {
      throw new StorageRequestError(
        "redirect-refused",
        urlForDisplay(url),
        `it redirected more than ${MAX_STORAGE_REDIRECTS} times`,
      );
    }
    const next = checkRedirect(current, Array.isArray(location) ? (location[0] ?? "") : location);
    if ("refused" in next) {
      throw new StorageRequestError(
        "redirect-refused",
        urlForDisplay(current),
        `${redact(next.refused, secrets).replace(/^it redirected/, `it redirected (${statusCode})`)}; the redirect was not followed`,
      );
    }
    current = next.url;
    redirects++;
  }
}
