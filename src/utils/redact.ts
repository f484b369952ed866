import { type DecodedView, decodedViews, MAX_ENCODED_UNIT_LENGTH } from "./decoded-view";
import { type SecretForm, secretForms } from "./secret-forms";

export { SHORT_SECRET_LENGTH } from "./secret-forms";

/** What a secret is replaced with in messages. */
export const REDACTED = "[redacted]";

/** Where a secret stands in a text: from `start` up to `end`. */
type Span = [start: number, end: number];

/**
 * Replaces every occurrence of each secret in `text`, in every form a server may echo it: plain,
 * JSON-escaped (`\uXXXX` for any character, `\/`, `\"`, `\\`, `\n`…), URL-encoded (`%XX` in either
 * case, `+` for a space), JSON-escaped and then URL-encoded (`%5C%22`), and base64 (standard or
 * URL-safe, padded or not, also within a longer base64 text). Overlapping secrets are removed
 * together, so a secret containing another is removed whole.
 *
 * With `maxChars`, at most that many characters of `text` are kept, followed by
 * `… (N more characters)`; a secret that starts within the kept part is redacted whole.
 *
 * Linear in the text and the secrets; never throws (if anything goes wrong, the whole text is
 * withheld).
 */
export function redact(
  text: string,
  secrets: Iterable<string | undefined>,
  options: { maxChars?: number } = {},
): string {
  try {
    return redactSpans(text, secrets, Math.min(text.length, options.maxChars ?? text.length));
  } catch {
    return `${REDACTED}… (${typeof text === "string" ? text.length : 0} more characters)`;
  }
}

/**
 * The `username:password` text that a Basic `Authorization` header encodes: given as a secret,
 * its base64 form (what a server echoing the header shows) is redacted too.
 */
export function basicCredentials(username: string, password: string): string {
  return `${username}:${password}`;
}

function redactSpans(text: string, secrets: Iterable<string | undefined>, limit: number): string {
  const forms = secretForms(secrets);
  const longest = Math.max(0, ...forms.map((form) => form.text.length));
  // A form that starts within the limit ends within this window, so the rest is never scanned.
  const window = text.slice(0, limit + MAX_ENCODED_UNIT_LENGTH * longest + 2);
  const spans = forms.length === 0 ? [] : decodedViews(window).flatMap((view) => findAll(view, forms, limit));
  let shown = "";
  let position = 0;
  for (const [start, end] of merged(spans)) {
    if (start >= limit) break;
    shown += `${text.slice(position, start)}${REDACTED}`;
    position = end;
  }
  if (position < limit) {
    shown += text.slice(position, limit);
    position = limit;
  }
  const more = text.length - position;
  return more > 0 ? `${shown}… (${more} more characters)` : shown;
}

/** The spans of the text `view` was decoded from where a form appears, starting before `limit`. */
function findAll(view: DecodedView, forms: SecretForm[], limit: number): Span[] {
  const spans: Span[] = [];
  for (const form of forms) {
    for (let from = 0; ; ) {
      const at = view.text.indexOf(form.text, from);
      if (at < 0) break;
      const start = view.rawStart(at);
      if (start >= limit) break;
      const end = view.rawStart(at + form.text.length);
      if (form.wholeWord && !standsAlone(view.text, at, at + form.text.length)) {
        from = at + 1;
        continue;
      }
      spans.push([start, end]);
      from = at + form.text.length;
    }
  }
  return spans;
}

/** Spans in order, those that overlap joined. */
function merged(spans: Span[]): Span[] {
  const result: Span[] = [];
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    const last = result.at(-1);
    if (last !== undefined && start < last[1]) last[1] = Math.max(last[1], end);
    else result.push([start, end]);
  }
  return result;
}

const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;

/**
 * Whether no letter or digit stands right before `start` or right at `end` of a view (decoded, so
 * that `%20abc` shows `abc` as a word).
 */
function standsAlone(text: string, start: number, end: number): boolean {
  // Two units hold the character before `start` whole, a surrogate pair too.
  const previous = [...text.slice(Math.max(0, start - 2), start)].at(-1) ?? "";
  const next = String.fromCodePoint(text.codePointAt(end) ?? 0x20);
  return !WORD_CHARACTER.test(previous) && !WORD_CHARACTER.test(next);
}
