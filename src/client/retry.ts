import { listen, unlisten } from "./abort-listeners";

/** How the client retries: network errors, timeouts, 429 and 5xx, with exponential backoff and `Retry-After`. */
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
  /** How long the client waits before that attempt, in ms. */
  delayMs: number;
}) => void;

/** Statuses worth another try: rate limits and server failures. Never 400 or 401. */
const RETRY_STATUS_CODES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Network failures before a connection was made: the request cannot have reached the server. */
const NOT_CONNECTED_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETDOWN",
  "ENETUNREACH",
  "EHOSTDOWN",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Network failures worth another try: refusals (those above), resets, drops and timeouts. */
const RETRY_ERROR_CODES: ReadonlySet<string> = new Set([
  ...NOT_CONNECTED_CODES,
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "REQUEST_TIMEOUT",
]);

/** What an attempt ended with, as far as retrying goes: a status, or a network error's code. */
export type AttemptEnd =
  | { status: number; retryAfter?: string | string[] | undefined }
  | { code: string | undefined };

/**
 * The retry loop of one call. Every method the client sends may be retried: the POST is an upsert
 * by name and DELETE is idempotent. The client loops itself rather than using undici's retry
 * interceptor, because that one cannot restart a request whose body failed half-way (it resumes
 * with a `Range` header the API does not support), and the deadlines must cover the body.
 */
export class RetryPolicy {
  private readonly maxRetries: number;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    options: RetryOptions = {},
    private readonly onRetry?: RetryListener | undefined,
  ) {
    this.maxRetries = options.maxRetries ?? 8;
    this.minDelayMs = options.minDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
  }

  /**
   * Whether attempt number `attempt` (1 for the first) of `method path`, which ended with `end`,
   * is tried again; if so, waits first (with jitter, so that hundreds of resources retrying do not
   * hit a rate limit again in lockstep) and tells the listener. Not when the wait would end after
   * the call's deadline, `callLeftMs` from now: the last answer is the call's. The wait ends early
   * when `signal` aborts (the caller tells by the signal).
   */
  async retries(
    method: string,
    path: string,
    attempt: number,
    end: AttemptEnd,
    callLeftMs = Number.POSITIVE_INFINITY,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const reason = reasonToRetry(end);
    if (reason === undefined || attempt > this.maxRetries) return false;
    const backoff = Math.min(this.minDelayMs * 2 ** (attempt - 1), this.maxDelayMs);
    const retryAfter = "status" in end ? retryAfterMs(end.retryAfter) : undefined;
    const delayMs = Math.round(Math.min(retryAfter ?? backoff * (0.5 + Math.random() / 2), this.maxDelayMs));
    if (delayMs >= callLeftMs) return false;
    this.onRetry?.({ method, path, attempt: attempt + 1, reason, delayMs });
    await wait(delayMs, signal);
    return true;
  }
}

/** Waits `ms`, or until `signal` aborts if that comes first; through the signal's one shared listener. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const woken = {
      aborted: () => {
        clearTimeout(timer);
        resolve();
      },
    };
    const timer = setTimeout(() => {
      if (signal !== undefined) unlisten(signal, woken);
      resolve();
    }, ms);
    if (signal !== undefined) listen(signal, woken);
  });
}

/** Whether an attempt that ended so may have reached the server: an answer, or a failure after connecting. */
export function mayHaveReachedServer(end: AttemptEnd): boolean {
  return "status" in end || end.code === undefined || !NOT_CONNECTED_CODES.has(end.code);
}

function reasonToRetry(end: AttemptEnd): string | undefined {
  if ("status" in end) return RETRY_STATUS_CODES.has(end.status) ? `status ${end.status}` : undefined;
  return end.code !== undefined && RETRY_ERROR_CODES.has(end.code) ? end.code : undefined;
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isNaN(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
