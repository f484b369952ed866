import { foldPlus } from "./decoded-view";

/**
 * Secrets shorter than this (in characters) are redacted only where they stand as a whole word,
 * with no letter or digit right before or after: a token `t` must not turn `connect` into
 * `connec[redacted]`. Longer secrets are redacted wherever they appear, inside words too.
 */
export const SHORT_SECRET_LENGTH = 8;

/** What to look for in a decoded view: a secret or one of its base64 forms. */
export interface SecretForm {
  /** The form as the views read it (`+` as a space). */
  text: string;
  /** Found only with no letter or digit right before or after it. */
  wholeWord: boolean;
}

/**
 * The distinct non-empty secrets, and for those of {@link SHORT_SECRET_LENGTH} characters or
 * more their base64 forms (standard or URL-safe, padded or not, alone or within a longer
 * base64 text such as that of `user:password` or `Bearer <token>`). Linear in the secrets.
 */
export function secretForms(secrets: Iterable<string | undefined>): SecretForm[] {
  const forms = new Map<string, SecretForm>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length === 0) continue;
    const short = [...secret].length < SHORT_SECRET_LENGTH;
    const plain = foldPlus(secret);
    // A long form of another secret is found anywhere, whatever this one says.
    if (!forms.has(plain) || !short) forms.set(plain, { text: plain, wholeWord: short });
    if (short) continue;
    for (const form of base64Forms(secret)) {
      const text = foldPlus(form);
      forms.set(text, { text, wholeWord: false });
    }
  }
  return [...forms.values()];
}

/**
 * The secret's UTF-8 bytes in base64, whole, and as the characters that they alone decide when
 * they start at each of the three offsets within a longer base64 text: those do not depend on
 * the bytes around them.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const whole = bytes.toString("base64");
  const forms = [whole, whole.replace(/=+$/, "")];
  for (let offset = 0; offset < 3; offset++) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const end = offset + bytes.length;
    forms.push(shifted.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * end) / 6)));
  }
  return forms.flatMap((form) => [form, form.replaceAll("+", "-").replaceAll("/", "_")]);
}
