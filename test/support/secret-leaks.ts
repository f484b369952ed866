/**
 * What the scans of test outputs (state, program and provider-host logs, stderr, answers) look
 * for: each secret in every form a leak could take, not only its plain text. Written apart from
 * src/utils/secret-forms.ts (what redaction removes), so that a mistake there is not repeated here.
 */

/** Secrets shorter than this are looked for as text only: a few base64 letters occur by chance. */
export const BASE64_SCAN_MIN_LENGTH = 8;

const hex4 = (char: string) => char.charCodeAt(0).toString(16).padStart(4, "0");

/** In a JSON string: JSON.stringify's escapes, or also `/` and every non-ASCII unit as `\u` (either case). */
function jsonForms(text: string): string[] {
  const usual = JSON.stringify(text).slice(1, -1);
  const ascii = usual.replace(/[\u0080-\uffff]/g, (char) => `\\u${hex4(char)}`).replaceAll("/", "\\/");
  return [usual, ascii, ascii.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => `\\u${hex.toUpperCase()}`)];
}

/** URL-encoded: encodeURIComponent (hex in either case), form encoding, or only `%`, `+` and space escaped. */
function urlForms(text: string): string[] {
  const encoded = encodeURIComponent(text);
  return [
    encoded,
    encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    new URLSearchParams({ s: text }).toString().slice("s=".length),
    text.replaceAll("%", "%25").replaceAll("+", "%2B").replaceAll(" ", "+"),
  ];
}

/**
 * The base64 of the secret's UTF-8 bytes wherever they stand in a longer text, such as a Basic
 * header's `user:password`: at each of the three byte offsets, the letters that only the secret's
 * bytes decide, in the standard and the URL-safe alphabet.
 */
function base64Forms(text: string): string[] {
  const bytes = Buffer.from(text, "utf8");
  return [0, 1, 2].flatMap((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const letters = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    return [letters, letters.replaceAll("+", "-").replaceAll("/", "_")];
  });
}

/** Each form of `secret` a leak could show, with how it was made. */
export function leakForms(secret: string): Map<string, string> {
  const forms = new Map<string, string>();
  const add = (form: string, how: string) => {
    if (form.length > 0 && !forms.has(form)) forms.set(form, how);
  };
  add(secret, "plain");
  for (const json of jsonForms(secret)) add(json, "JSON-escaped");
  for (const text of [secret, ...jsonForms(secret)])
    for (const url of urlForms(text)) add(url, "URL-encoded");
  if (secret.length >= BASE64_SCAN_MIN_LENGTH)
    for (const piece of base64Forms(secret)) add(piece, "in base64");
  return forms;
}

/**
 * Where `text` shows any of `secrets` in any of its {@link leakForms}: one line per find, saying
 * which secret (by its index), in which form and in what context; none when nothing leaks.
 */
export function leaksIn(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  secrets.forEach((secret, index) => {
    for (const [form, how] of leakForms(secret)) {
      const at = text.indexOf(form);
      if (at === -1) continue;
      const context = text.slice(Math.max(0, at - 40), at + form.length + 40);
      found.push(`secret #${index} ${how}: …${context}…`);
    }
  });
  return found;
}
