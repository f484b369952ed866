import { z } from "zod";
import { getMediaProvidersArgsSchema, type MediaProviderList } from "../provider/get-media-providers";
import { outputsSchema } from "./outputs-schema";

const { shape } = getMediaProvidersArgsSchema;
const outputs = outputsSchema.shape;

/** The TSDoc of the program-side `getMediaProviders`, up to its example (a test holds them equal). */
export const FUNCTION_DESCRIPTION =
  "Lists a bot's media providers from a program, in one request, with the stack config's endpoint and token unless given; each provider's credentials come back as a secret output.";

/**
 * The arguments of `getMediaProviders` for the package schema: the rules its arguments are checked
 * with, documented as the program-side `GetMediaProvidersArgs` (a test holds them equal).
 */
export const functionArgsSchema = z.strictObject({
  botId: shape.botId.meta({
    description:
      "The bot: one path segment as it is (letters, digits and `-._~!$&'()*+,;=:@`; no `/` or `%`; not `.` or `..`).",
  }),
  region: shape.region.meta({ description: "`us1` or `eu1`." }),
  baseUrl: shape.baseUrl.meta({
    description: "An absolute http(s) URL without credentials; overrides any region.",
  }),
  apiToken: shape.apiToken.meta({ description: "The bot's API token (not empty)." }),
});

/** One provider as the API lists it, documented as `MediaProviderSummary`. */
const listedProviderSchema = z
  .strictObject({
    name: outputs.name.meta({ description: "The name messages use in their `provider` field." }),
    type: outputs.type.meta({ description: "The type the API holds (`www`)." }),
    authType: outputs.authType,
    username: outputs.username,
    config: outputs.config.meta({ description: "The credentials, as a secret." }),
  })
  .meta({ id: "ListedMediaProvider", description: "One provider of the bot." });

/** The result of `getMediaProviders`, documented as `GetMediaProvidersResult`. */
export const functionResultSchema = z.strictObject({
  botId: z.string().meta({ description: "The bot that was listed." }),
  providers: z.array(listedProviderSchema).meta({ description: "Its providers, in the API's order." }),
}) satisfies z.ZodType<MediaProviderList>;
