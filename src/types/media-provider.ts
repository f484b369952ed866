/**
 * The spec's rule for provider names: `A-Z`, `a-z`, `-` and `_`, at most 200 characters.
 * Digits are not allowed (an older release note said "alphanumeric"; the spec wins).
 */
export const PROVIDER_NAME_PATTERN = /^[A-Za-z_-]+$/;
/** Longest provider name the API accepts. */
export const PROVIDER_NAME_MAX_LENGTH = 200;

/** The only provider type the API knows. */
export const PROVIDER_TYPE = "www";

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

/** One media provider as the API stores it. */
export interface MediaProviderEntry {
  /** Unique per bot; messages name the provider in their `provider` field. */
  name: string;
  /**
   * `www` ({@link PROVIDER_TYPE}), the only type the API accepts in a write. A listed entry holds
   * whatever type the API returns.
   */
  type: string;
  /** The credentials WhatsApp downloads media with. */
  config: MediaProviderConfig;
}

/** How a provider authenticates to the storage. */
export type AuthType = "basic" | "bearer";

/** Which kind of credentials a config holds. */
export function authTypeOf(config: MediaProviderConfig): AuthType {
  return "basic" in config ? "basic" : "bearer";
}

/** What can be shown of credentials without the secrets: their kind, and the Basic username. */
export function credentialSummary(config: MediaProviderConfig): { authType: AuthType; username?: string } {
  const authType = authTypeOf(config);
  return "basic" in config ? { authType, username: config.basic.username } : { authType };
}

/** The secret values of a config (password or bearer token), for redaction. */
export function secretsOf(config: MediaProviderConfig): string[] {
  return "basic" in config ? [config.basic.password] : [config.bearer];
}

/**
 * The config holding exactly one of `basic` or `bearer`, or `undefined` when both or neither are
 * there: what the schemas at the boundaries turn a parsed object into.
 */
export function exactlyOneCredential(c: {
  basic?: BasicConfig["basic"] | undefined;
  bearer?: string | undefined;
}): MediaProviderConfig | undefined {
  if (c.basic !== undefined && c.bearer === undefined) return { basic: c.basic };
  if (c.bearer !== undefined && c.basic === undefined) return { bearer: c.bearer };
  return undefined;
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
