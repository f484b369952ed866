import { z } from "zod";

/**
 * The spec's rule for provider names: `A-Z`, `a-z`, `-` and `_`, at most 200 characters.
 * Digits are not allowed (an older release note said "alphanumeric"; the spec wins).
 */
export const PROVIDER_NAME_PATTERN = /^[A-Za-z_-]+$/;
/** Longest provider name the API accepts. */
export const PROVIDER_NAME_MAX_LENGTH = 200;

/** The only provider type the API knows. */
export const PROVIDER_TYPE = "www";

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

const secretString = z.string().min(1, "must not be empty");

/** Basic authentication: WhatsApp downloads media with this username and password. */
export const basicCredentialsSchema = z.strictObject({ username: secretString, password: secretString });

/** Basic credentials of a media provider. */
export interface BasicConfig {
  basic: { username: string; password: string };
}
/** Bearer credentials of a media provider. */
export interface BearerConfig {
  bearer: string;
}
/** The credentials of a media provider: exactly one of `basic` or `bearer`. */
export type MediaProviderConfig = BasicConfig | BearerConfig;

/**
 * Exactly one of `basic {username, password}` or `bearer`. Written as one object with a
 * refinement rather than a union so that errors name the field at fault, not "invalid input".
 */
export const mediaProviderConfigSchema = z
  .strictObject({ basic: basicCredentialsSchema.optional(), bearer: secretString.optional() })
  .refine((c) => (c.basic === undefined) !== (c.bearer === undefined), {
    message: "must hold exactly one of basic {username, password} or bearer",
  })
  .transform((c) => c as MediaProviderConfig);

/** One media provider as the API stores it. */
export const mediaProviderSchema = z.object({
  name: providerNameSchema,
  type: z.literal(PROVIDER_TYPE),
  config: mediaProviderConfigSchema,
});

/** One media provider as the API stores it. */
export type MediaProviderEntry = z.infer<typeof mediaProviderSchema>;
/** How a provider authenticates to the storage. */
export type AuthType = "basic" | "bearer";

/** Which kind of credentials a config holds. */
export function authTypeOf(config: MediaProviderConfig): AuthType {
  return "basic" in config ? "basic" : "bearer";
}

/** The secret values of a config (password or bearer token), for redaction. */
export function secretsOf(config: MediaProviderConfig): string[] {
  return "basic" in config ? [config.basic.password] : [config.bearer];
}

/** Whether two entries hold the same content (name, type and credentials). */
export function sameEntry(a: MediaProviderEntry, b: MediaProviderEntry): boolean {
  if (a.name !== b.name || a.type !== b.type) return false;
  if ("basic" in a.config && "basic" in b.config) {
    return (
      a.config.basic.username === b.config.basic.username &&
      a.config.basic.password === b.config.basic.password
    );
  }
  return "bearer" in a.config && "bearer" in b.config && a.config.bearer === b.config.bearer;
}
