import { MediaProviderClient } from "../client/media-provider-client";
import { ConfigurationError } from "../errors/configuration-error";
import type { AuthType, MediaProviderConfig } from "../types/media-provider";
import { clientOptions } from "./connection";
import { currentSettings } from "./context";
import { inputsSchema } from "./inputs";
import { credentialSummary } from "./outputs";
import { noBotIdMessage, type Settings } from "./settings";

/** Where the bot is: each argument defaults to the stack config, then the environment. */
export const getMediaProvidersArgsSchema = inputsSchema
  .pick({ botId: true, region: true, baseUrl: true, apiToken: true })
  .strict();

/** The arguments of {@link getMediaProviders}. */
export type GetMediaProvidersArgs = (typeof getMediaProvidersArgsSchema)["_zod"]["output"];

/** One provider of a bot, as the API holds it. */
export interface MediaProviderListing {
  name: string;
  type: string;
  /** The credentials: the caller marks them secret. */
  config: MediaProviderConfig;
  authType: AuthType;
  /** The Basic username, when the provider uses Basic authentication. */
  username?: string;
}

/** A bot's providers. */
export interface MediaProviderList {
  botId: string;
  providers: MediaProviderListing[];
}

/**
 * Lists a bot's providers in one request: the function behind the plugin's
 * `whatsapp:index:getMediaProviders` and the program-side `getMediaProviders`. In the provider
 * process the settings are those `configure` received; a program passes its own stack config's.
 * Values are returned plain; every caller wraps `config` as a secret.
 */
export async function getMediaProviders(args: unknown, settings?: Settings): Promise<MediaProviderList> {
  const parsed = getMediaProvidersArgsSchema.safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join(".") || "arguments";
    throw new ConfigurationError(`getMediaProviders: ${where} ${issue?.message ?? "is invalid"}.`);
  }
  const given = parsed.data;
  const resolved = settings ?? (await currentSettings());
  const botId = given.botId ?? resolved.botId;
  if (botId === undefined) throw new ConfigurationError(noBotIdMessage());
  const client = new MediaProviderClient(clientOptions({ ...given, botId }, resolved));
  try {
    const entries = await client.list();
    return {
      botId,
      providers: entries.map((entry) => ({ ...entry, ...credentialSummary(entry.config) })),
    };
  } finally {
    await client.close();
  }
}
