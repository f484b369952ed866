import { STATUS_CODES } from "node:http";
import { CancelledError, type CancelledStage } from "../errors/cancelled-error";
import type { StorageRequestError } from "../errors/storage-request-error";
import { VerificationError, type VerificationErrorDetails } from "../errors/verification-error";
import type { MediaProviderConfig } from "../types/media-provider";
import { redact } from "../utils/redact";
import { credentialSecrets } from "./authorization";
import { urlForDisplay } from "./display-url";
import { REDIRECT_STATUSES } from "./redirect-policy";
import type { StorageResponse } from "./storage-request";

/** One verification, as its messages describe it. */
export interface Attempt {
  providerName: string;
  config: MediaProviderConfig;
  method: "HEAD" | "GET";
  expectStatus: number | undefined;
  url: URL;
}

// Only the parts of a message that come from outside (URLs, the username, the storage's words)
// are redacted: redacting the whole text would also mangle its own words around a short secret.
function safe(attempt: Attempt, text: string): string {
  return redact(text, credentialSecrets(attempt.config));
}

function fail(
  attempt: Attempt,
  details: Omit<VerificationErrorDetails, "providerName" | "url">,
  message: string,
): VerificationError {
  const url = safe(attempt, urlForDisplay(attempt.url));
  return new VerificationError({ ...details, providerName: attempt.providerName, url }, message);
}

function cannot(attempt: Attempt, reason: string, fix = "Fix verify.url (or the storage)"): string {
  const shown = safe(attempt, urlForDisplay(attempt.url));
  return `Media provider "${attempt.providerName}": could not verify the credentials against ${shown}: ${reason}. Nothing was written. ${fix}, or remove verify to skip this check.`;
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

/** The error for a verification cancelled at `stage`: it comes before any write, so nothing was written. */
export function cancelledError(attempt: Attempt, stage: CancelledStage): CancelledError {
  const request = `${attempt.method} ${safe(attempt, urlForDisplay(attempt.url))} (the check of media provider "${attempt.providerName}"'s credentials against verify.url)`;
  return new CancelledError({ request, stage });
}

/** The error for a request that got no answer (unreachable, timed out, refused redirect). */
export function noAnswerError(attempt: Attempt, error: StorageRequestError): VerificationError {
  return fail(attempt, { kind: error.kind, causeCode: error.causeCode }, cannot(attempt, error.message));
}

function wrongCredentialsError(
  attempt: Attempt,
  response: StorageResponse,
  answered: string,
): VerificationError {
  const { config } = attempt;
  const scheme = "basic" in config ? "Basic" : "Bearer";
  const asked = challengeSchemes(response.headers["www-authenticate"]).map((s) => safe(attempt, s));
  const mismatch =
    asked.length > 0 && !asked.some((s) => s.toLowerCase() === scheme.toLowerCase())
      ? ` The storage asks for ${asked.join(" or ")} authentication, but this provider sends ${scheme} credentials.`
      : "";
  const field = "basic" in config ? "config.basic (username and password)" : "config.bearer";
  const sent =
    "basic" in config
      ? `Basic credentials of user "${safe(attempt, config.basic.username)}"`
      : "Bearer token";
  return fail(
    attempt,
    { kind: "wrong-credentials", status: response.statusCode },
    `Media provider "${attempt.providerName}": the credentials are wrong: ${answered} with the provider's ${sent}.${mismatch} WhatsApp would fail to download media with them, so nothing was written (the provider was not created or updated). Fix ${field}, or point verify.url at a file these credentials may read.`,
  );
}

function statusHint(status: number): string {
  if (status >= 500) return "; the storage is failing";
  if (status === 404 || status === 410) return "; no file at that URL";
  return REDIRECT_STATUSES.has(status) ? " without a Location" : "";
}

/**
 * What the storage's final answer means: `undefined` when it is the expected status (any 2xx by
 * default), else the {@link VerificationError} to throw (kind `wrong-credentials` for 401/403).
 */
export function statusError(attempt: Attempt, response: StorageResponse): VerificationError | undefined {
  const { method, expectStatus } = attempt;
  const status = response.statusCode;
  if (expectStatus !== undefined ? status === expectStatus : status >= 200 && status < 300) return undefined;
  const answered = `the storage answered ${reasonPhrase(status)} to ${method} ${safe(attempt, urlForDisplay(response.url))}`;
  if (status === 401 || status === 403) return wrongCredentialsError(attempt, response, answered);
  if (method === "HEAD" && (status === 405 || status === 501)) {
    const reason = `${answered}; this storage does not support HEAD`;
    return fail(
      attempt,
      { kind: "method-not-allowed", status },
      cannot(attempt, reason, 'Set verify.method: "GET"'),
    );
  }
  const wanted = expectStatus !== undefined ? `${expectStatus} was expected` : "a 2xx status was expected";
  const reason = `${answered}${statusHint(status)} (${wanted})`;
  return fail(attempt, { kind: "unexpected-status", status }, cannot(attempt, reason));
}
