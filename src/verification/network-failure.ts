import { StorageRequestError } from "../errors/storage-request-error";
import { redact } from "../utils/redact";
import { urlForDisplay } from "./display-url";

/** Errors worth the one retry: a keep-alive connection the storage closed meanwhile. */
const RESET_CODES: ReadonlySet<string> = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  ENOTFOUND: "the host name does not resolve (ENOTFOUND)",
  EAI_AGAIN: "the host name could not be resolved now (EAI_AGAIN)",
  ECONNREFUSED: "the connection was refused: nothing listens on that host and port (ECONNREFUSED)",
  ECONNRESET: "the storage closed the connection without answering (ECONNRESET)",
  EPIPE: "the storage closed the connection without answering (EPIPE)",
  UND_ERR_SOCKET: "the storage closed the connection without answering (UND_ERR_SOCKET)",
  EHOSTUNREACH: "the host cannot be reached (EHOSTUNREACH)",
  ENETUNREACH: "the host cannot be reached (ENETUNREACH)",
};

/** The first `code` on the error or its causes (undici wraps the socket's error). */
export function causeCodeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** Whether a failed request is a connection reset, worth one retry. */
export function isConnectionReset(error: unknown): boolean {
  const code = causeCodeOf(error);
  return code !== undefined && RESET_CODES.has(code);
}

function describe(code: string | undefined, message: string): string {
  const known = code === undefined ? undefined : DESCRIPTIONS[code];
  if (known !== undefined) return known;
  if (code !== undefined && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO/.test(code)) {
    return `the TLS connection failed (${code}): ${message}`;
  }
  return `${code ?? "network error"}: ${message}`;
}

/** What a request to `url` that failed with `error` tells the user: a timeout, or why the storage is unreachable. */
export function requestFailure(
  error: unknown,
  url: URL,
  context: { signal: AbortSignal; timeoutMs: number; secrets: readonly (string | undefined)[] },
): StorageRequestError {
  const code = causeCodeOf(error);
  if (context.signal.aborted || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new StorageRequestError(
      "timeout",
      urlForDisplay(url),
      `no answer within ${context.timeoutMs} ms`,
      code,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  // Network errors name hosts, not URLs; remove the URL and its query string anyway.
  const hidden = [...context.secrets, url.href, url.search.length > 1 ? url.search : undefined];
  return new StorageRequestError(
    "unreachable",
    urlForDisplay(url),
    redact(describe(code, message), hidden),
    code,
  );
}
