/**
 * Manage Sinch WhatsApp media providers with Pulumi: the {@link MediaProvider} resource, the API
 * client it uses, and the errors they throw.
 *
 * @module pulumi-sinch-whatsapp
 */
export { type ClientOptions, MediaProviderClient, type RetryListener, type RetryOptions } from "./client";
export * from "./errors";
export {
  type BasicConfigArgs,
  type BearerConfigArgs,
  MediaProvider,
  type MediaProviderArgs,
  type VerifyArgs,
} from "./resource/media-provider";
export type {
  AuthType,
  BasicConfig,
  BearerConfig,
  MediaProviderConfig,
  MediaProviderEntry,
} from "./types/media-provider";
export { REGION_BASE_URLS, REGIONS, type Region } from "./types/regions";
