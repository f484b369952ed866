export { type ConnectionOptions, createDispatcher, DEFAULT_MAX_CONCURRENCY } from "./dispatcher";
export { type EndpointOptions, resolveBaseUrl } from "./endpoint";
export { type ClientOptions, MediaProviderClient } from "./media-provider-client";
export type { RetryListener, RetryOptions } from "./retry";
