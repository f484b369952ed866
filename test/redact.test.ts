import { describe, expect, it } from "vitest";
import { basicCredentials, REDACTED, redact, SHORT_SECRET_LENGTH } from "../src/utils/redact";

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
});
