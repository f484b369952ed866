import { z } from "zod";
import { mediaProviderConfigSchema, PROVIDER_TYPE, providerNameSchema } from "../types/media-provider";
import { REGIONS } from "../types/regions";
import { verifySchema } from "./verify";

/**
 * The inputs of a MediaProvider as the provider receives them, and as `check` stores them.
 * Strict: a key the provider does not know is an error, not silently ignored.
 */
export const inputsSchema = z.strictObject({
  botId: z.string().min(1, "must not be empty").optional(),
  region: z.enum(REGIONS, { message: `must be one of ${REGIONS.join(", ")}` }).optional(),
  baseUrl: z
    .url({ protocol: /^https?$/, message: "must be an absolute http or https URL" })
    .refine((u) => !new URL(u).username && !new URL(u).password, "must not contain credentials")
    .optional(),
  apiToken: z.string().min(1, "must not be empty").optional(),
  name: providerNameSchema.optional(),
  /** Set by the resource: the name to use when `name` is not given. Dropped by `check`. */
  autoName: z.string().optional(),
  type: z.literal(PROVIDER_TYPE, { message: `must be "${PROVIDER_TYPE}", the only type` }).optional(),
  config: mediaProviderConfigSchema,
  adoptExisting: z.boolean().optional(),
  verify: verifySchema.optional(),
});

/** Inputs as the user may give them. */
export type RawInputs = z.input<typeof inputsSchema>;

/** Inputs after `check`: the bot id resolved, the name chosen, the type defaulted. */
export interface CheckedInputs extends Omit<z.output<typeof inputsSchema>, "autoName"> {
  botId: string;
  name: string;
  type: typeof PROVIDER_TYPE;
}
