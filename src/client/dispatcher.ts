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
   * Most bytes of a response body: the client stops reading a larger one and fails the call with
   * a `ResponseTooLargeError`, never retried. Default 2 MiB.
   * Applies with a shared `dispatcher` too.
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

/**
 * The default limit on a response body: 2 MiB. A list of a thousand providers is about 100 KB (a
 * short name and credentials), so this leaves room for some 20,000 providers, or some 5,000 with
 * the longest names the API allows (200 characters) and long credentials; the API documents no
 * limit on providers per bot. The plugin, the dynamic provider host, a program and the CLI each
 * stay under 400 MB for any answer up to it (test/e2e/limits.test.ts), where a 61 MB answer took
 * 3.6 GB before this limit.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/** The default limit on requests in flight to one host. */
export const DEFAULT_MAX_CONCURRENCY = 8;

/**
 * A keep-alive dispatcher that honours HTTP(S)_PROXY / NO_PROXY, limits connections per origin
 * (which bounds requests in flight: undici queues the rest). The client bounds the size of a body.
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
  });
}
