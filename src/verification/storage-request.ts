/**
 * Requests to a company's media storage with a provider's credentials, as WhatsApp makes them:
 * used by deploy-time verification and by the emulator's media downloads. Credentials go only to
 * the URL's own origin, and no message holds a secret or a query string.
 */
import type { Dispatcher } from "undici";
import { StorageRequestError } from "../errors/storage-request-error";
import { redact } from "../utils/redact";
import { USER_AGENT } from "../utils/user-agent";
import { headerSecrets } from "./authorization";
import { urlForDisplay } from "./display-url";
import { isConnectionReset, requestFailure } from "./network-failure";
import { checkRedirect, MAX_STORAGE_REDIRECTS, REDIRECT_STATUSES } from "./redirect-policy";

/** Most bytes of a GET answer read before it is discarded. */
export const STORAGE_BODY_BYTES = 4096;

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

/** One exchange: the options, the headers sent on every hop, and the one retry it may spend. */
interface Exchange {
  options: StorageRequestOptions;
  headers: Record<string, string>;
  secrets: string[];
  retryLeft: boolean;
}

/** Sends one hop, retrying once per exchange on a connection the storage reset. */
async function send(exchange: Exchange, url: URL): Promise<Dispatcher.ResponseData> {
  const { dispatcher, method, signal } = exchange.options;
  for (;;) {
    try {
      return await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers: exchange.headers,
        signal,
      });
    } catch (error) {
      if (exchange.retryLeft && !signal.aborted && isConnectionReset(error)) {
        exchange.retryLeft = false;
        continue;
      }
      throw requestFailure(error, url, { ...exchange.options, secrets: exchange.secrets });
    }
  }
}

/** The Location to follow, or `undefined` when this answer is the one to hand back. */
function redirectTarget(
  response: Dispatcher.ResponseData,
  acceptStatus: number | undefined,
): string | undefined {
  const { statusCode, headers } = response;
  if (!REDIRECT_STATUSES.has(statusCode) || statusCode === acceptStatus) return undefined;
  const location = headers.location;
  return Array.isArray(location) ? (location[0] ?? "") : location;
}

/** The URL a redirect leads to, or the error that stops the exchange there. */
function nextHop(
  exchange: Exchange,
  hop: { start: URL; current: URL; redirects: number; status: number },
  location: string,
): URL {
  if (hop.redirects >= MAX_STORAGE_REDIRECTS) {
    throw new StorageRequestError(
      "redirect-refused",
      urlForDisplay(hop.start),
      `it redirected more than ${MAX_STORAGE_REDIRECTS} times`,
    );
  }
  const next = checkRedirect(hop.current, location);
  if ("refused" in next) {
    throw new StorageRequestError(
      "redirect-refused",
      urlForDisplay(hop.current),
      `${redact(next.refused, exchange.secrets).replace(/^it redirected/, `it redirected (${hop.status})`)}; the redirect was not followed`,
    );
  }
  return next.url;
}

/**
 * Sends a HEAD or GET to a storage the way WhatsApp downloads media: with one `Authorization`
 * header, following at most {@link MAX_STORAGE_REDIRECTS} redirects and only those that
 * {@link checkRedirect} allows (same origin, no downgrade), re-sending the credentials on them.
 * Retries once on a connection reset. Throws {@link StorageRequestError} when no answer can be
 * handed back.
 */
export async function requestStorage(url: URL, options: StorageRequestOptions): Promise<StorageResponse> {
  const { authorization, signal, acceptStatus } = options;
  const headers: Record<string, string> = { "user-agent": USER_AGENT, accept: "*/*" };
  if (authorization !== undefined) headers.authorization = authorization;
  const exchange: Exchange = {
    options,
    headers,
    secrets: [...(options.secrets ?? []), ...headerSecrets(authorization)],
    retryLeft: true,
  };
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const response = await send(exchange, current);
    const location = redirectTarget(response, acceptStatus);
    if (location === undefined) return Object.assign(response, { url: current, redirects });
    await response.body.dump({ limit: STORAGE_BODY_BYTES, signal }).catch(() => undefined);
    current = nextHop(exchange, { start: url, current, redirects, status: response.statusCode }, location);
  }
}
