import { z } from "zod";
import { botIdSchema } from "../types/bot-id";
import { httpUrlSchema } from "../types/http-url";
import { PROVIDER_TYPE } from "../types/media-provider";
import { mediaProviderConfigSchema, providerNameSchema } from "../types/media-provider-schema";
import { REGIONS } from "../types/regions";
import { verifySchema } from "../types/verify-schema";

/**
 * The inputs of a MediaProvider as the provider receives them, and as `check` stores them.
 * Strict: a key the provider does not know is an error, not silently ignored. The metadata (the
 * documentation of `MediaProviderArgs`, type ids, secret flags) makes the plugin's package schema.
 */
export const inputsSchema = z.strictObject({
  botId: botIdSchema.optional().meta({
    description:
      "The bot: one path segment as it is (letters, digits and `-._~!$&'()*+,;=:@`; no `/` or `%`; not `.` or `..`). Default: stack config `whatsapp:botId`, else `WHATSAPP_BOT_ID`. Changing it replaces the provider.",
  }),
  region: z
    .enum(REGIONS, { message: `must be one of ${REGIONS.join(", ")}` })
    .meta({ id: "Region", description: "A region a bot can live in." })
    .optional()
    .meta({ description: "`us1` or `eu1`. Default: `whatsapp:region`, else `WHATSAPP_REGION`." }),
  baseUrl: httpUrlSchema.optional().meta({
    description:
      "An absolute http(s) URL without credentials (proxy, emulator); overrides any region. Default: `whatsapp:baseUrl`, else `WHATSAPP_BASE_URL`.",
  }),
  apiToken: z.string().min(1, "must not be empty").optional().meta({
    secret: true,
    description:
      "The bot's API token (not empty), stored as a secret. Default: `whatsapp:apiToken` (set it with `pulumi config set --secret`), else `WHATSAPP_API_TOKEN`; those are read at each operation, so a rotated token is used by refresh and destroy too.",
  }),
  name: providerNameSchema.optional().meta({
    description:
      "The provider's name, unique per bot: `A-Z`, `a-z`, `-`, `_`, at most 200 characters. Default: the resource name with a suffix of letters, kept on later runs. Changing it replaces the provider.",
  }),
  /** Set by the resource: the name to use when `name` is not given. Dropped by `check`. */
  autoName: z.string().optional(),
  type: z
    .literal(PROVIDER_TYPE, { message: `must be "${PROVIDER_TYPE}", the only type` })
    .optional()
    .meta({ description: "`www`, the only type." }),
  config: mediaProviderConfigSchema.meta({
    secret: true,
    description:
      "The credentials WhatsApp uses to download media: exactly one of `basic` or `bearer`. Stored as a secret.",
  }),
  adoptExisting: z.boolean().optional().meta({
    description:
      "Take over a provider of the same name that already exists on the bot with other content, overwriting it with `config`. Without it, such a create fails rather than overwrite silently.",
  }),
  verify: verifySchema.optional().meta({
    description:
      "Check the credentials against the storage before each create and update: `url` (a file on the storage) is requested with exactly the credentials WhatsApp will use; a 401 or 403 fails the deployment with nothing written, instead of a customer's message failing later.",
  }),
});

/** Inputs after `check`: the bot id resolved, the name chosen, the type defaulted. */
export interface CheckedInputs extends Omit<z.output<typeof inputsSchema>, "autoName"> {
  botId: string;
  name: string;
  type: typeof PROVIDER_TYPE;
}
