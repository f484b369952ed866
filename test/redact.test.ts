import { describe, expect, it } from "vitest";
import { REDACTED, redact } from "../src/utils/redact";

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

  it("ignores empty and missing secrets", () => {
    expect(redact("text", ["", undefined])).toBe("text");
  });
});
