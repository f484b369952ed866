import { MediaProviderClient } from "../client/media-provider-client";
import { ConfigurationError } from "../errors/configuration-error";
import { type AuthType, credentialSummary, type MediaProviderConfig } from "../types/media-provider";
import { clientOptions } from "./connection";
import { currentSettings } from "./context";
import { inputsSchema } from "./inputs";
import { issueFailures } from "./issue-failures";
import { settingFailures } from "./setting-failures";
import type { Settings } from "./settings";

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
 * `whatsapp:index:getMediaProviders` and the program-side `getMediaProviders`. Arguments are
 * checked by the rules `check` applies to the same inputs of a MediaProvider, and what they leave
 * out comes from `settings` as it does for a MediaProvider; anything wrong fails before a request.
 * Without `settings` (the provider process) they are those `configure` received; a program passes
 * its own stack config's. Values are returned plain; every caller wraps `config` as a secret.
 */
export async function getMediaProviders(args: unknown, settings?: Settings): Promise<MediaProviderList> {
  const parsed = getMediaProvidersArgsSchema.safeParse(args ?? {});
  if (!parsed.success) {
    throw argumentsError(
      issueFailures(parsed.error.issues, args, {
        whole: "arguments",
        key: "an argument of getMediaProviders",
      }),
    );
  }
  const given = parsed.data;
  const resolved = settings ?? (await currentSettings());
  const botId = given.botId ?? resolved.botId;
  const failures = settingFailures(given, botId, resolved);
  if (failures.length > 0 || botId === undefined) throw argumentsError(failures);
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

/** One error for every failure, each a sentence. */
function argumentsError(failures: { reason: string }[]): ConfigurationError {
  const sentences = failures.map(({ reason }) => (reason.endsWith(".") ? reason : `${reason}.`));
  return new ConfigurationError(`getMediaProviders: ${sentences.join(" ")}`);
}
