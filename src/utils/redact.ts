/** What a secret is replaced with in messages. */
export const REDACTED = "[redacted]";

/**
 * Replaces every occurrence of each secret in `text`, so an error message or log line built from
 * data that may echo a credential (an API error body, a proxy's page) never carries it.
 * Longer secrets go first so that a secret containing another is removed whole.
 */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  const ordered = [...new Set(secrets)]
    .filter((s): s is string => typeof s === "string" && s.length > 0)
    .sort((a, b) => b.length - a.length);
  let result = text;
  for (const secret of ordered) {
    result = result.split(secret).join(REDACTED);
    // A secret may also appear URL- or JSON-encoded in echoed requests.
    const encoded = [encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
    for (const form of encoded) if (form !== secret) result = result.split(form).join(REDACTED);
  }
  return result;
}
