import * as pulumi from "@pulumi/pulumi";
import {
  getMediaProviders as listProviders,
  type MediaProviderListing,
} from "../provider/get-media-providers";
import { readSettings } from "../provider/settings";
import type { AuthType, MediaProviderConfig } from "../types/media-provider";
import type { Region } from "../types/regions";
import { defineLazyOutput } from "./lazy-output";

/** Where the bot is. Each argument defaults to the stack config (`whatsapp:*`), then `WHATSAPP_*`. */
export interface GetMediaProvidersArgs {
  /** The bot: one path segment as it is (letters, digits and `-._~!$&'()*+,;=:@`; no `/` or `%`; not `.` or `..`). */
  botId?: string;
  /** `us1` or `eu1`. */
  region?: Region;
  /** An absolute http(s) URL without credentials; overrides any region. */
  baseUrl?: string;
  /** The bot's API token (not empty). */
  apiToken?: string;
}

/** {@link GetMediaProvidersArgs}, each of which may be an output of another resource. */
export type GetMediaProvidersOutputArgs = {
  [K in keyof GetMediaProvidersArgs]: pulumi.Input<GetMediaProvidersArgs[K]>;
};

/** One provider of the bot. */
export interface MediaProviderSummary {
  /** The name messages use in their `provider` field. */
  name: string;
  /** The type the API holds (`www`). */
  type: string;
  /** `basic` or `bearer`. */
  authType: AuthType;
  /** The Basic username, when the provider uses Basic authentication. */
  username?: string;
  /** The credentials, as a secret. */
  config: pulumi.Output<MediaProviderConfig>;
}

/** What {@link getMediaProviders} finds. */
export interface GetMediaProvidersResult {
  /** The bot that was listed. */
  botId: string;
  /** Its providers, in the API's order. */
  providers: MediaProviderSummary[];
}

/**
 * Lists a bot's media providers from a program, in one request, with the stack config's endpoint
 * and token unless given; each provider's credentials come back as a secret output.
 *
 * @example
 * ```ts
 * const names = getMediaProviders().then((r) => r.providers.map((p) => p.name));
 * ```
 */
export async function getMediaProviders(args: GetMediaProvidersArgs = {}): Promise<GetMediaProvidersResult> {
  // The program's stack config, read as the provider process reads it (a secret token included).
  const settings = readSettings({ get: (key) => pulumi.runtime.getConfig(key) });
  const { botId, providers } = await listProviders(args, settings);
  return { botId, providers: providers.map(summary) };
}

/**
 * A listed provider with its `config` made a secret Output when first read: an Output costs some
 * 7 KB, which for every provider of a long list would dominate the program's memory.
 */
function summary({ config, ...shown }: MediaProviderListing): MediaProviderSummary {
  const made = { ...shown } as MediaProviderSummary;
  defineLazyOutput(made, "config", () => pulumi.secret(config));
  return made;
}

/** {@link getMediaProviders} with arguments that may be outputs of other resources. */
export function getMediaProvidersOutput(
  args: GetMediaProvidersOutputArgs = {},
): pulumi.Output<GetMediaProvidersResult> {
  return pulumi.output(args).apply((plain) => getMediaProviders(plain as GetMediaProvidersArgs));
}
