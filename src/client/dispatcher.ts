import type { Dispatcher } from "undici";
import { PROXY_AGENT_OPTIONS, undici } from "../utils/undici";
import type { RetryOptions } from "./retry";

/** Connection settings of the client. */
export interface ConnectionOptions {
  /** Most requests in flight to one API host (undici's per-origin connection limit). Default 8. */
  maxConcurrency?: number;
  /** Time to open a connection, in ms. Default 10,000. */
  connectTimeoutMs?: number;
  /** Time to the response headers, in ms. Default 30,000. */
  headersTimeoutMs?: number;
  /** Time between body chunks, in ms. Default 30,000. */
  bodyTimeoutMs?: number;
  /**
   * Most bytes of a response body (undici's `maxResponseSize`). Default 64 MiB: a list of
   * thousands of providers fits many times over.
   */
  maxResponseBytes?: number;
  /**
   * Total time of one attempt, in ms: connecting, the headers and the whole body. A body that
   * trickles in slower than this fails the attempt, which is retried like any other timeout.
   * Default 60,000, and never past the call's deadline. Applies with a shared `dispatcher` too.
   */
  requestTimeoutMs?: number;
  /**
   * Total time of one call, in ms: every attempt and the waits between them. When it runs out
   * the call fails with a `CallTimeoutError` (an attempt in flight is cut short; a retry whose
   * wait would end later is not made, and the last answer is reported). Default 120,000: room for
   * the default retries' waits (80 s at most) and the attempts. Applies with a shared `dispatcher` too.
   */
  callTimeoutMs?: number;
  /** Retry policy. Applies with a shared `dispatcher` too. */
  retry?: RetryOptions;
}

/**
 * The default deadline of one call, retries included: room for the default retry schedule (8
 * retries, waits of at most 10 s each, `Retry-After` included: 80 s) and for the attempts
 * themselves, while a server that trickles a body holds an operation 2 minutes at most, not
 * the 60 s per attempt times every retry.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;

/** The default limit on requests in flight to one host. */
export const DEFAULT_MAX_CONCURRENCY = 8;

/**
 * A keep-alive dispatcher that honours HTTP(S)_PROXY / NO_PROXY, limits connections per origin
 * (which bounds requests in flight: undici queues the rest) and the size of a response body.
 */
export function createDispatcher(options: ConnectionOptions): Dispatcher {
  const { EnvHttpProxyAgent } = undici();
  return new EnvHttpProxyAgent({
    ...PROXY_AGENT_OPTIONS,
    connections: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    keepAliveTimeout: 30_000,
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    bodyTimeout: options.bodyTimeoutMs ?? 30_000,
    maxResponseSize: options.maxResponseBytes ?? 64 * 1024 * 1024,
  });
}
