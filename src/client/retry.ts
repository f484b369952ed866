import type { RetryHandler } from "undici";

/** How the client retries: network errors, 429 and 5xx, with exponential backoff and `Retry-After`. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 8: at a 25% fault rate, 1 request in 260,000 still fails. */
  maxRetries?: number;
  /** First backoff in ms. Default 200. */
  minDelayMs?: number;
  /** Longest backoff in ms, also the cap on `Retry-After`. Default 10,000. */
  maxDelayMs?: number;
}

/** Told of each retry, for logs and tests. */
export type RetryListener = (event: {
  method: string;
  path: string;
  attempt: number;
  reason: string;
}) => void;

/** Statuses worth another try: rate limits and server failures. Never 400 or 401. */
export const RETRY_STATUS_CODES = [429, 500, 502, 503, 504];

/** Network failures worth another try: resets, refusals, drops and timeouts. */
export const RETRY_ERROR_CODES = [
  "ECONNRESET",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETDOWN",
  "ENETUNREACH",
  "EHOSTDOWN",
  "EHOSTUNREACH",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
];

/** The POST is an upsert by name and DELETE is idempotent, so every method the client sends may be retried. */
const RETRY_METHODS: RetryHandler.RetryOptions["methods"] = ["GET", "POST", "DELETE"];

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isNaN(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Options for undici's retry interceptor. Its own decision function is replaced only to add
 * jitter (hundreds of resources retrying in lockstep would hit a rate limit again together) and
 * to report each retry.
 */
export function retryInterceptorOptions(
  options: RetryOptions,
  onRetry: RetryListener | undefined,
): RetryHandler.RetryOptions {
  const maxRetries = options.maxRetries ?? 8;
  const minDelayMs = options.minDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  return {
    maxRetries,
    minTimeout: minDelayMs,
    maxTimeout: maxDelayMs,
    methods: RETRY_METHODS,
    statusCodes: RETRY_STATUS_CODES,
    errorCodes: RETRY_ERROR_CODES,
    // Hand the last answer (with its error body) to the client instead of a generic error.
    throwOnError: false,
    retry(err, { state, opts }, callback) {
      const { statusCode, code, headers } = err as Error & {
        statusCode?: number;
        code?: string;
        headers?: Record<string, string | string[] | undefined>;
      };
      const retryable =
        statusCode !== undefined
          ? RETRY_STATUS_CODES.includes(statusCode)
          : code !== undefined && (code === "UND_ERR_REQ_RETRY" || RETRY_ERROR_CODES.includes(code));
      if (!retryable || state.counter > maxRetries) {
        callback(err);
        return;
      }
      const backoff = Math.min(minDelayMs * 2 ** (state.counter - 1), maxDelayMs);
      const delay = Math.min(
        retryAfterMs(headers?.["retry-after"]) ?? backoff * (0.5 + Math.random() / 2),
        maxDelayMs,
      );
      onRetry?.({
        method: opts.method,
        path: opts.path,
        attempt: state.counter + 1,
        reason: statusCode !== undefined ? `status ${statusCode}` : String(code),
      });
      setTimeout(() => callback(null), delay);
    },
  };
}
