/** What a secret is replaced with in messages. */
export const REDACTED = "[redacted]";

/**
 * Secrets shorter than this (in characters) are redacted only where they stand as a whole word,
 * with no letter or digit right before or after: a token `t` must not turn `connect` into
 * `connec[redacted]`. Longer secrets are redacted wherever they appear, inside words too.
 */
export const SHORT_SECRET_LENGTH = 8;

/** Longest text one character of a secret can become in an echo (`\uD83D\uDE00` URL-encoded). */
const MAX_ENCODED_CHAR_LENGTH = 36;

/**
 * Replaces every occurrence of each secret in `text`, in every form a server may echo it: plain,
 * JSON-escaped (`\uXXXX` for any character, `\/`, `\"`, `\\`, `\n`…), URL-encoded (`%XX` in either
 * case, `+` for a space) and base64 (standard or URL-safe, padded or not), and any mix of these
 * character by character. Longer secrets go first, so a secret containing another is removed whole.
 *
 * With `maxChars`, at most that many characters of `text` are kept, followed by
 * `… (N more characters)`; a secret that starts within the kept part is redacted whole.
 */
export function redact(
  text: string,
  secrets: Iterable<string | undefined>,
  options: { maxChars?: number } = {},
): string {
  const forms = secretForms(secrets);
  const limit = Math.min(text.length, options.maxChars ?? text.length);
  // A match that starts within the limit ends within this window, so the rest is never scanned.
  const window = text.slice(0, limit + MAX_ENCODED_CHAR_LENGTH * (forms[0]?.length ?? 0) + 2);
  let shown = "";
  let position = 0;
  if (forms.length > 0) {
    for (const match of window.matchAll(new RegExp(forms.map(formPattern).join("|"), "gu"))) {
      if (match.index >= limit) break;
      shown += `${text.slice(position, match.index)}${REDACTED}`;
      position = match.index + match[0].length;
    }
  }
  if (position < limit) {
    shown += text.slice(position, limit);
    position = limit;
  }
  const more = text.length - position;
  return more > 0 ? `${shown}… (${more} more characters)` : shown;
}

/**
 * The `username:password` text that a Basic `Authorization` header encodes: given as a secret,
 * its base64 form (what a server echoing the header shows) is redacted too.
 */
export function basicCredentials(username: string, password: string): string {
  return `${username}:${password}`;
}

/** The distinct secrets with their base64 forms, longest first. */
function secretForms(secrets: Iterable<string | undefined>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length === 0) continue;
    forms.add(secret);
    if ([...secret].length < SHORT_SECRET_LENGTH) continue;
    const base64 = Buffer.from(secret, "utf8").toString("base64");
    forms.add(base64);
    forms.add(base64.replace(/=+$/, ""));
    forms.add(Buffer.from(secret, "utf8").toString("base64url"));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** A pattern matching `form` with each character in any encoding; whole words only when short. */
function formPattern(form: string): string {
  const body = [...form].map(characterPattern).join("");
  return [...form].length < SHORT_SECRET_LENGTH ? `(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])` : body;
}

const JSON_SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "/": "\\/",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/**
 * One character of a secret in any form: JSON-escaped (`\"`, `\/`, `\u00e4` in either case; two
 * `\u` escapes outside the BMP) or not, then each character of that URL-encoded or not (a body
 * echoed as JSON and then URL-encoded has `%5C%22` for `"`).
 */
function characterPattern(char: string): string {
  const units = [...Array(char.length).keys()].map((i) => char.charCodeAt(i).toString(16).padStart(4, "0"));
  // Escapes first, so that the first backslash of `\\` is not taken for a literal one.
  const jsonForms = new Set([
    JSON_SHORT_ESCAPES[char] ?? char,
    units.map((u) => `\\u${u}`).join(""),
    units.map((u) => `\\u${u.toUpperCase()}`).join(""),
    char,
  ]);
  return `(?:${[...jsonForms].map((form) => [...form].map(urlCharacterPattern).join("")).join("|")})`;
}

/** One character, plain or URL-encoded (`%XX` in either case, `+` for a space). */
function urlCharacterPattern(char: string): string {
  const percent = [...Buffer.from(char, "utf8")].map((byte) => `%${hex(byte)}`).join("");
  const literal = char.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  return `(?:${percent}|${char === " " ? "\\+|" : ""}${literal})`;
}

/** A byte in hexadecimal, each letter matching either case. */
function hex(byte: number): string {
  return byte
    .toString(16)
    .padStart(2, "0")
    .replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
}
