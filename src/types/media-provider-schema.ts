import { z } from "zod";
import {
  exactlyOneCredential,
  type MediaProviderConfig,
  type MediaProviderEntry,
  PROVIDER_NAME_MAX_LENGTH,
  PROVIDER_NAME_PATTERN,
  PROVIDER_TYPE,
} from "./media-provider";

// The zod side of the media-provider types: used where data comes in (check, the emulator, the
// API's answers), so that the public types stay plain interfaces.

/** A provider name as the API accepts it. */
export const providerNameSchema = z
  .string()
  // An empty name breaks the pattern too; saying it is empty is enough.
  .min(1, { message: "must not be empty", abort: true })
  .max(PROVIDER_NAME_MAX_LENGTH, `must be at most ${PROVIDER_NAME_MAX_LENGTH} characters`)
  .regex(
    PROVIDER_NAME_PATTERN,
    "may contain only the letters A-Z and a-z, '-' and '_' (no digits or spaces)",
  );

/** The message for a config holding both `basic` and `bearer`, or neither. */
export const ONE_CREDENTIAL_MESSAGE = "must hold exactly one of basic {username, password} or bearer";

/** Turns a parsed `{ basic?, bearer? }` into a {@link MediaProviderConfig}, or an issue when it holds not exactly one. */
export function toMediaProviderConfig(
  c: Parameters<typeof exactlyOneCredential>[0],
  ctx: z.RefinementCtx,
): MediaProviderConfig {
  const config = exactlyOneCredential(c);
  if (config === undefined) {
    ctx.addIssue({ code: "custom", message: ONE_CREDENTIAL_MESSAGE });
    return z.NEVER;
  }
  return config;
}

const secretString = z.string().min(1, "must not be empty");

/**
 * Exactly one of `basic {username, password}` or `bearer`. Written as one object checked after
 * parsing rather than a union so that errors name the field at fault, not "invalid input". The
 * metadata (documentation, type ids, secret flags) makes the plugin's package schema.
 */
export const mediaProviderConfigSchema = z
  .strictObject({
    basic: z
      .strictObject({
        username: secretString.meta({ description: "The Basic username (not empty)." }),
        password: secretString.meta({ secret: true, description: "The Basic password (not empty)." }),
      })
      .meta({ id: "BasicCredentials", description: "Basic credentials of a media provider." })
      .optional()
      .meta({
        description:
          "Basic credentials: WhatsApp downloads media with this username and password (neither empty).",
      }),
    bearer: secretString.optional().meta({
      secret: true,
      description: "Bearer credentials: WhatsApp downloads media with this token (not empty).",
    }),
  })
  .transform(toMediaProviderConfig)
  .meta({
    id: "MediaProviderConfig",
    description: "The credentials of a media provider: exactly one of `basic` or `bearer`.",
  });

/** One media provider as the API accepts it in a write. */
export const mediaProviderSchema = z.object({
  name: providerNameSchema,
  type: z.literal(PROVIDER_TYPE),
  config: mediaProviderConfigSchema,
}) satisfies z.ZodType<MediaProviderEntry>;
