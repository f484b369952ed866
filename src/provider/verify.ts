import { STATUS_CODES } from "node:http";
import { type Dispatcher, EnvHttpProxyAgent } from "undici";
import { z } from "zod";
import {
  authorizationHeader,
  credentialSecrets,
  discardBody,
  REDIRECT_STATUSES,
  requestStorage,
  STORAGE_BODY_BYTES,
  StorageRequestError,
  type StorageResponse,
  urlForDisplay,
} from "../client/storage-request";
import { VerificationError, type VerificationFailureKind } from "../errors/verification-error";
import type { MediaProviderConfig } from "../types/media-provider";
import { redact } from "../utils/redact";

/** Time allowed for a whole verification (redirects included) when `timeoutMs` is not given. */
export const VERIFY_DEFAULT_TIMEOUT_MS = 10_000;
/** Longest `timeoutMs` accepted: a deployment should not hang on a storage for longer. */
export const VERIFY_MAX_TIMEOUT_MS = 120_000;

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
      await response.body.dump({ limit: STORAGE_BODY_BYTES, signal }).catch(() => undefined);
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
