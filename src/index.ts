/**
 * Manage Sinch WhatsApp media providers with Pulumi.
 *
 * @packageDocumentation
 */
export { type ClientOptions, MediaProviderClient } from "./client";
export * from "./errors";
export {
  type BasicConfigArgs,
  type BearerConfigArgs,
  MediaProvider,
  type MediaProviderArgs,
  type VerifyArgs,
} from "./resource/media-provider";
export type { AuthType, MediaProviderConfig, MediaProviderEntry } from "./types/media-provider";
export { REGIONS, type Region } from "./types/regions";
