import { z } from "zod";
import { inputsSchema } from "../provider/inputs";
import { outputsSchema } from "./outputs-schema";

const { shape } = inputsSchema;
const outputs = outputsSchema.shape;

/** The arguments of `getMediaProviders`: where the bot is, each defaulting to the provider's config. */
export const getMediaProvidersArgsSchema = z.strictObject({
  botId: shape.botId.meta({ description: "The bot (not empty). Default: stack config `whatsapp:botId`." }),
  region: shape.region.meta({ description: "`us1` or `eu1`. Default: stack config `whatsapp:region`." }),
  baseUrl: shape.baseUrl.meta({
    description:
      "An absolute http(s) URL without credentials; overrides any region. Default: `whatsapp:baseUrl`.",
  }),
  apiToken: shape.apiToken.meta({
    description: "The bot's API token (not empty). Default: `whatsapp:apiToken`.",
  }),
});

/** One provider as the API lists it. */
const listedProviderSchema = z
  .strictObject({
    name: outputs.name,
    type: outputs.type,
    config: outputs.config.meta({ description: "The credentials (secret)." }),
    authType: outputs.authType,
    username: outputs.username,
  })
  .meta({ id: "ListedMediaProvider", description: "A media provider as the API lists it." });

/** The result of `getMediaProviders`. */
export const getMediaProvidersResultSchema = z.strictObject({
  botId: z.string().meta({ description: "The bot listed." }),
  providers: z
    .array(listedProviderSchema)
    .meta({ description: "The bot's media providers, in the API's order; their credentials are secrets." }),
});
