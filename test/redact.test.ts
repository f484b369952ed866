import { describe, expect, it } from "vitest";
import { basicCredentials, REDACTED, redact, SHORT_SECRET_LENGTH } from "../src/utils/redact";
import { base64Echoes, LAYERS, usual } from "./support/echoes";

/** JSON as servers that escape everything but ASCII write it (`\u00e4`, `\/`). */
function asciiJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\//g, "\\/");
}

const HOSTILE = ['pä$$/"w(o)rd*+?[x]\\ü€😀', "a.b|c^d$e{2}", "sp ace+plus&amp;=%41", "ÄÖÜß/\\/\\"];

describe("redact", () => {
  it("removes every occurrence of each secret, the longest first", () => {
    expect(redact("a=abc b=abcdef c=abc", ["abc", "abcdef"])).toBe(
      `a=${REDACTED} b=${REDACTED} c=${REDACTED}`,
    );
  });

  it("removes URL- and JSON-encoded forms", () => {
    const secret = 'p@ss/"word';
    const text = `url=${encodeURIComponent(secret)} json=${JSON.stringify(secret)}`;
    expect(redact(text, [secret])).not.toContain("ss/");
  });

  it.each(HOSTILE)("removes %s in every encoding a server may echo", (secret) => {
    const echoes = [
      secret,
      JSON.stringify(secret).slice(1, -1),
      asciiJson(secret).slice(1, -1),
      asciiJson(secret)
        .slice(1, -1)
        .replace(/\\u([0-9a-f]{4})/g, (_, h: string) => `\\u${h.toUpperCase()}`),
      encodeURIComponent(secret),
      encodeURIComponent(secret).toLowerCase(),
      new URLSearchParams({ p: secret }).toString(),
      Buffer.from(secret).toString("base64"),
      Buffer.from(secret).toString("base64url"),
      Buffer.from(basicCredentials("user", secret)).toString("base64"),
    ];
    const text = echoes.map((e, i) => `echo${i}=${e};`).join(" ");
    const result = redact(text, [secret, basicCredentials("user", secret)]);
    expect(result).toBe(echoes.map((_, i) => `echo${i}=${i === 6 ? `p=${REDACTED}` : REDACTED};`).join(" "));
    // Not even the leading part of the secret survives.
    expect(result).not.toContain(secret.slice(0, 4));
  });

  it("removes a secret whose characters are escaped in a mix of ways", () => {
    const secret = "päss/wörd-long";
    expect(redact('"p\\u00e4ss\\/w%C3%B6rd-long"', [secret])).toBe(`"${REDACTED}"`);
  });

  it(`removes a short secret (under ${SHORT_SECRET_LENGTH} characters) only as a whole word`, () => {
    expect(redact("connect: token t is wrong", ["t", "wrong"])).toBe(
      `connect: token ${REDACTED} is ${REDACTED}`,
    );
    expect(redact("the token abc123 and xabc123y", ["abc123"])).toBe(`the token ${REDACTED} and xabc123y`);
    expect(redact("inside-a-longsecretvalue-word", ["longsecretvalue"])).toBe(`inside-a-${REDACTED}-word`);
    // A word as the decoded text shows it: after an encoded space, before an escaped newline.
    expect(redact("token%20abc123%20x \\nabc123\\n %41abc123", ["abc123"])).toBe(
      `token%20${REDACTED}%20x \\n${REDACTED}\\n %41abc123`,
    );
  });

  it("bounds the text and says how much was left out, redacting a secret cut by the bound", () => {
    const secret = "SECRET-0123456789";
    const text = `${"x".repeat(50)}${secret}${"y".repeat(100)}`;
    expect(redact(text, [secret], { maxChars: 55 })).toBe(
      `${"x".repeat(50)}${REDACTED}… (100 more characters)`,
    );
    expect(redact("short", [secret], { maxChars: 55 })).toBe("short");
    expect(redact("z".repeat(5_000_000), [secret], { maxChars: 10 })).toBe(
      `${"z".repeat(10)}… (4999990 more characters)`,
    );
  });

  it("ignores empty and missing secrets", () => {
    expect(redact("text", ["", undefined])).toBe("text");
  });

  /** A secret of `length` characters (code points) cycling through those that encodings treat specially. */
  const hostileSecret = (length: number) => {
    const chars = [...'aZ0-_ +%\\"/\nä€😀u4'];
    return Array.from({ length }, (_, i) => chars[(i * 7) % chars.length]).join("");
  };

  it.each([1, 7, 8, 500, 4_000, 10_000, 100_000])(
    "redacts a secret of %i characters in every form",
    (length) => {
      const secret = hostileSecret(length);
      const long = length >= SHORT_SECRET_LENGTH;
      const bearer = Buffer.from(`Bearer ${secret}`).toString("base64");
      // The first 10 characters hold only "Bearer " and 2 bits of the secret; the last 1 to 3 only
      // its last bits (and padding).
      const bearerTail = bearer.slice(Math.floor((8 * Buffer.byteLength(`Bearer ${secret}`)) / 6));
      const echoes = [
        ...Object.values(LAYERS).map((layer) => [layer(secret, usual), REDACTED]),
        [asciiJson(secret).slice(1, -1), REDACTED],
        [new URLSearchParams({ p: secret }).toString().slice(2), REDACTED],
        ...(long ? base64Echoes(secret).map((echo) => [echo, REDACTED]) : []),
        ...(long ? [[bearer, `${bearer.slice(0, 10)}${REDACTED}${bearerTail}`]] : []),
      ];
      const expected = echoes.map(([, shown]) => `<${shown}>`).join(" ");
      const result = redact(echoes.map(([echo]) => `<${echo}>`).join(" "), [secret]);
      // Compared in part first, so that a failure does not print the whole secret.
      expect(result.slice(0, expected.length + 100)).toBe(expected);
      expect(result.length).toBe(expected.length);
    },
    // Building the echoes of a 100,000-character secret takes seconds on a loaded 2-core machine.
    60_000,
  );

  it("redacts a 100,000-character secret within a short, bounded message", () => {
    const secret = "s".repeat(100_000);
    const text = `token ${secret} was refused: ${JSON.stringify({ token: secret })} ${encodeURIComponent(secret)}`;
    expect(redact(text, [secret], { maxChars: 2_000 })).toBe(`token ${REDACTED}… (200027 more characters)`);
    expect(redact(text, [secret])).toBe(`token ${REDACTED} was refused: {"token":"${REDACTED}"} ${REDACTED}`);
  });

  it("redacts many secrets at once, each in its own form", () => {
    const secrets = Array.from({ length: 200 }, (_, i) => `secret-${i}-${"x".repeat(i)}ä/"`);
    const layers = Object.values(LAYERS);
    const text = secrets.map((s, i) => (layers[i % layers.length] ?? String)(s, usual)).join(" | ");
    expect(redact(text, secrets)).toBe(secrets.map(() => REDACTED).join(" | "));
  });

  it("redacts secrets that overlap as one, keeping the text around them", () => {
    expect(redact("[abcdefgh12345678xy]", ["abcdefgh12", "12345678xy"])).toBe(`[${REDACTED}]`);
  });

  it("withholds the whole text rather than throw when the secrets cannot be read", () => {
    const failing: Iterable<string> = {
      [Symbol.iterator]: () => {
        throw new Error("no secrets today");
      },
    };
    expect(redact("some text", failing)).toBe(`${REDACTED}… (9 more characters)`);
  });
});
