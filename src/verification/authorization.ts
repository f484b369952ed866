import { type MediaProviderConfig, secretsOf } from "../types/media-provider";

/**
 * The `Authorization` header WhatsApp sends with a provider's credentials:
 * `Basic base64(username:password)` (UTF-8) or `Bearer <token>`.
 */
export function authorizationHeader(config: MediaProviderConfig): string {
  if ("basic" in config) {
    const { username, password } = config.basic;
    return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
  }
  return `Bearer ${config.bearer}`;
}

/** A header value and the credentials in it (`Basic x` and `x`): both must stay out of messages. */
export function headerSecrets(authorization: string | undefined): string[] {
  return authorization === undefined
    ? []
    : [authorization, authorization.slice(authorization.indexOf(" ") + 1)];
}

/** Everything that must never appear in a message about these credentials. */
export function credentialSecrets(config: MediaProviderConfig): string[] {
  return [...secretsOf(config), ...headerSecrets(authorizationHeader(config))];
}
