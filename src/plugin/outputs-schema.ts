import { z } from "zod";
import { inputsSchema } from "../provider/inputs";
import type { Outputs } from "../provider/outputs";
import type { AuthType } from "../types/media-provider";

const { shape } = inputsSchema;

/** `basic` or `bearer`, as `authTypeOf` tells them apart. */
const authTypeSchema = z.enum(["basic", "bearer"]).meta({
  id: "AuthType",
  description: "How a provider authenticates to the storage.",
}) satisfies z.ZodType<AuthType>;

/**
 * The outputs of a MediaProvider (`toOutputs`) for the plugin's package schema: the inputs' types
 * and secret flags, the documentation of the `MediaProvider` class's properties, and what `check`
 * always fills in (bot id, name, type) required.
 */
export const outputsSchema = z.strictObject({
  botId: z.string().meta({ description: "The bot the provider belongs to." }),
  name: z
    .string()
    .meta({ description: "The provider's name, as messages refer to it in their `provider` field." }),
  type: z.string().meta({ description: "The provider's type (`www`)." }),
  config: shape.config.meta({
    description: "The credentials (secret), as the API holds them after a refresh.",
  }),
  authType: authTypeSchema.meta({ description: "`basic` or `bearer`." }),
  username: z
    .string()
    .optional()
    .meta({ description: "The Basic username, when the provider uses Basic authentication." }),
  region: shape.region.meta({ description: "The region given as an input, if any." }),
  baseUrl: shape.baseUrl.meta({ description: "The base URL given as an input, if any." }),
  apiToken: shape.apiToken.meta({
    description:
      "The API token given as an input (secret), if any; tokens from stack config are never stored.",
  }),
  adoptExisting: shape.adoptExisting.meta({ description: "The `adoptExisting` input, if given." }),
  verify: shape.verify.meta({ description: "The `verify` input, if given." }),
}) satisfies z.ZodType<Outputs>;
