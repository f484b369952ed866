/**
 * Manage Sinch WhatsApp media providers with Pulumi: the {@link MediaProvider} resource, the API
 * client it uses, and the errors they throw.
 *
 * @module pulumi-sinch-whatsapp
 */
export {
  type ClientOptions,
  type ConnectionOptions,
  type EndpointOptions,
  MediaProviderClient,
  type RetryListener,
  type RetryOptions,
} from "./client";
export * from "./errors";
export {
  type GetMediaProvidersArgs,
  type GetMediaProvidersOutputArgs,
  type GetMediaProvidersResult,
  getMediaProviders,
  getMediaProvidersOutput,
  type MediaProviderSummary,
} from "./resource/get-media-providers";
export {
  type BasicConfigArgs,
  type BearerConfigArgs,
  MediaProvider,
  type MediaProviderArgs,
  type VerifyArgs,
} from "./resource/media-provider";
export {
  type AuthType,
  type BasicConfig,
  type BearerConfig,
  type MediaProviderConfig,
  type MediaProviderEntry,
  PROVIDER_TYPE,
} from "./types/media-provider";
export { REGION_BASE_URLS, REGIONS, type Region } from "./types/regions";
export type { VerifyOptions } from "./types/verify-options";
