import { STATUS_CODES } from "node:http";
import { type Dispatcher, EnvHttpProxyAgent, request } from "undici";
import { z } from "zod";
import { VerificationError, type VerificationFailureKind } from "../errors/verification-error";
import { type MediaProviderConfig, secretsOf } from "../types/media-provider";
import { redact } from "../utils/redact";
import { USER_AGENT } from "../utils/user-agent";

/** Time allowed for a whole verification (redirects included) when `timeoutMs` is not given. */
export const VERIFY_DEFAULT_TIMEOUT_MS = 10_000;
/** Longest `timeoutMs` accepted: a deployment should not hang on a storage for longer. */
export const VERIFY_MAX_TIMEOUT_MS = 120_000;
/** Most redirects followed, all on the URL's own origin. */
export const MAX_STORAGE_REDIRECTS = 5;
/** Most bytes of a GET answer read before it is discarded. */
const VERIFY_BODY_BYTES = 4096;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Errors worth the one retry: a keep-alive connection the storage closed meanwhile. */
const RESET_CODES: ReadonlySet<string> = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

function hasNoCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username === "" && url.password === "";
  } catch {
    return true;
  }
}

/**
 * The optional `verify` input of a media provider: a URL of a file on the storage, fetched with
 * the provider's credentials at deploy time so that wrong credentials fail the deployment instead
 * of a customer's message. Defaults are not filled in here (so the stored inputs stay as written):
 * `method` HEAD, any 2xx status, `timeoutMs` {@link VERIFY_DEFAULT_TIMEOUT_MS}.
 */
export const verifySchema = z.strictObject({
  /** A file on the storage; WhatsApp's download uses the same origin and credentials. */
  url: z
    .string({ message: "must be a string" })
    .refine(isHttpUrl, "must be an absolute http or https URL")
    .refine(
      hasNoCredentials,
      "must not contain credentials (user:password@): the provider's own credentials are sent",
    ),
  /** HEAD (the default) or GET, for storages that refuse HEAD. */
  method: z.enum(["HEAD", "GET"], { message: 'must be "HEAD" or "GET"' }).optional(),
  /** The status that means success; by default any 2xx. */
  expectStatus: z
    .number({ message: "must be a number" })
    .int("must be a whole number")
    .min(100, "must be an HTTP status between 100 and 599")
    .max(599, "must be an HTTP status between 100 and 599")
    .optional(),
  /** Time allowed for the whole check, redirects included, in ms. */
  timeoutMs: z
    .number({ message: "must be a number" })
    .int("must be a whole number of milliseconds")
    .min(1, "must be at least 1 ms")
    .max(VERIFY_MAX_TIMEOUT_MS, `must be at most ${VERIFY_MAX_TIMEOUT_MS} ms (2 minutes)`)
    .optional(),
});

/** The `verify` input as the user writes it. */
export type VerifyInput = z.input<typeof verifySchema>;

/** Options of {@link verifyCredentials} that are not part of the resource inputs. */
export interface VerifyCallOptions {
  /**
   * The dispatcher to use; by default each verification makes its own keep-alive
   * `EnvHttpProxyAgent` (HTTP(S)_PROXY / NO_PROXY) and destroys it afterwards.
   */
  dispatcher?: Dispatcher | undefined;
}

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
    await response.body.dump({ limit: VERIFY_BODY_BYTES, signal }).catch(() => undefined);
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

function reasonPhrase(status: number): string {
  const phrase = STATUS_CODES[status];
  return phrase ? `${status} ${phrase}` : String(status);
}

/** The authentication schemes a `WWW-Authenticate` header asks for, e.g. `["Basic"]`. */
function challengeSchemes(header: string | string[] | undefined): string[] {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const schemes = values.flatMap((value) =>
    [...value.matchAll(/(?:^|,)\s*([A-Za-z][\w!#$%&'*+.^`|~-]*)(?=\s+[\w!#$%&'*+.^`|~-]+=|\s*(?:,|$))/g)]
      .map((m) => m[1] ?? "")
      .filter((s) => s !== ""),
  );
  return [...new Set(schemes)];
}

/**
 * Checks a media provider's credentials against its storage before anything is written: requests
 * `verify.url` with the same `Authorization` header WhatsApp will send. A 2xx (or `expectStatus`)
 * passes; anything else throws a {@link VerificationError} (kind `wrong-credentials` for 401/403).
 * The credentials go only to the URL's origin; messages never contain a secret or the query string.
 */
export async function verifyCredentials(
  verify: VerifyInput,
  config: MediaProviderConfig,
  providerName: string,
  options: VerifyCallOptions = {},
): Promise<void> {
  const who = `Media provider "${providerName}"`;
  const parsed = verifySchema.safeParse(verify);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `verify${i.path.map((p) => `.${String(p)}`).join("")}: ${i.message}`)
      .join("; ");
    throw new VerificationError(
      { kind: "invalid", providerName, url: "" },
      `${who}: ${redact(problems, credentialSecrets(config))}. Nothing was written.`,
    );
  }
  const { method = "HEAD", expectStatus, timeoutMs = VERIFY_DEFAULT_TIMEOUT_MS } = parsed.data;
  const url = new URL(parsed.data.url);
  const authorization = authorizationHeader(config);
  const secrets = credentialSecrets(config);
  // Only the parts of a message that come from outside (URLs, the username, the storage's words)
  // are redacted: redacting the whole text would also mangle its own words around a short secret.
  const safe = (text: string) => redact(text, secrets);
  const shown = safe(urlForDisplay(url));
  const scheme = "basic" in config ? "Basic" : "Bearer";

  const fail = (
    kind: VerificationFailureKind,
    text: string,
    extra: { status?: number; causeCode?: string | undefined } = {},
  ): VerificationError => new VerificationError({ kind, providerName, url: shown, ...extra }, text);
  const cannot = (reason: string, fix = "Fix verify.url (or the storage)") =>
    `${who}: could not verify the credentials against ${shown}: ${reason}. Nothing was written. ${fix}, or remove verify to skip this check.`;

  const dispatcher =
    options.dispatcher ??
    new EnvHttpProxyAgent({
      connections: 2,
      keepAliveTimeout: 4_000,
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    let response: StorageResponse;
    try {
      response = await requestStorage(url, {
        method,
        authorization,
        dispatcher,
        signal,
        timeoutMs,
        secrets,
        acceptStatus: expectStatus,
      });
    } catch (error) {
      if (!(error instanceof StorageRequestError)) throw error;
      throw fail(error.kind, cannot(error.message), { causeCode: error.causeCode });
    }
    const status = response.statusCode;
    const answered = `the storage answered ${reasonPhrase(status)} to ${method} ${safe(urlForDisplay(response.url))}`;
    // Only the status matters: read a little of a GET's body (the file streams), discard the rest.
    if (method === "GET" && status >= 200 && status < 300) {
      await response.body.dump({ limit: VERIFY_BODY_BYTES, signal }).catch(() => undefined);
    } else {
      discardBody(response.body);
    }

    if (expectStatus !== undefined ? status === expectStatus : status >= 200 && status < 300) return;
    if (status === 401 || status === 403) {
      const asked = challengeSchemes(response.headers["www-authenticate"]).map(safe);
      const mismatch =
        asked.length > 0 && !asked.some((s) => s.toLowerCase() === scheme.toLowerCase())
          ? ` The storage asks for ${asked.join(" or ")} authentication, but this provider sends ${scheme} credentials.`
          : "";
      const field = "basic" in config ? "config.basic (username and password)" : "config.bearer";
      const sent =
        "basic" in config ? `Basic credentials of user "${safe(config.basic.username)}"` : "Bearer token";
      throw fail(
        "wrong-credentials",
        `${who}: the credentials are wrong: ${answered} with the provider's ${sent}.${mismatch} WhatsApp would fail to download media with them, so nothing was written (the provider was not created or updated). Fix ${field}, or point verify.url at a file these credentials may read.`,
        { status },
      );
    }
    if (method === "HEAD" && (status === 405 || status === 501)) {
      throw fail(
        "method-not-allowed",
        cannot(`${answered}; this storage does not support HEAD`, 'Set verify.method: "GET"'),
        { status },
      );
    }
    const wanted = expectStatus !== undefined ? `${expectStatus} was expected` : "a 2xx status was expected";
    const hint =
      status >= 500
        ? "; the storage is failing"
        : status === 404 || status === 410
          ? "; no file at that URL"
          : REDIRECT_STATUSES.has(status)
            ? " without a Location"
            : "";
    throw fail("unexpected-status", cannot(`${answered}${hint} (${wanted})`), { status });
  } finally {
    if (options.dispatcher === undefined) await dispatcher.destroy().catch(() => undefined);
  }
}
