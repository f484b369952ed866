import { z } from "zod";
import { httpUrlSchema } from "../types/http-url";
import { PROVIDER_TYPE } from "../types/media-provider";
import { mediaProviderConfigSchema, providerNameSchema } from "../types/media-provider-schema";
import { REGIONS } from "../types/regions";
import { verifySchema } from "../types/verify-schema";

/**
 * The inputs of a MediaProvider as the provider receives them, and as `check` stores them.
 * Strict: a key the provider does not know is an error, not silently ignored.
 */
export const inputsSchema = z.strictObject({
  botId: z.string().min(1, "must not be empty").optional(),
  region: z.enum(REGIONS, { message: `must be one of ${REGIONS.join(", ")}` }).optional(),
  baseUrl: httpUrlSchema.optional(),
  apiToken: z.string().min(1, "must not be empty").optional(),
  name: providerNameSchema.optional(),
  /** Set by the resource: the name to use when `name` is not given. Dropped by `check`. */
  autoName: z.string().optional(),
  type: z.literal(PROVIDER_TYPE, { message: `must be "${PROVIDER_TYPE}", the only type` }).optional(),
  config: mediaProviderConfigSchema,
  adoptExisting: z.boolean().optional(),
  verify: verifySchema.optional(),
});

/** Inputs after `check`: the bot id resolved, the name chosen, the type defaulted. */
export interface CheckedInputs extends Omit<z.output<typeof inputsSchema>, "autoName"> {
  botId: string;
  name: string;
  type: typeof PROVIDER_TYPE;
}
