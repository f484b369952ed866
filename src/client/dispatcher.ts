import { type Dispatcher, EnvHttpProxyAgent, interceptors } from "undici";
import { type RetryListener, type RetryOptions, retryInterceptorOptions } from "./retry";

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
  /** Retry policy. */
  retry?: RetryOptions;
}

/** The default limit on requests in flight to one host. */
export const DEFAULT_MAX_CONCURRENCY = 8;

/**
 * A keep-alive dispatcher that honours HTTP(S)_PROXY / NO_PROXY, limits connections per origin
 * (which bounds requests in flight: undici queues the rest) and retries through undici's own
 * retry interceptor.
 */
export function createDispatcher(options: ConnectionOptions, onRetry?: RetryListener): Dispatcher {
  const agent = new EnvHttpProxyAgent({
    connections: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    keepAliveTimeout: 30_000,
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    bodyTimeout: options.bodyTimeoutMs ?? 30_000,
  });
  return agent.compose(interceptors.retry(retryInterceptorOptions(options.retry ?? {}, onRetry)));
}
