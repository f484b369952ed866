/**
 * Property-based tests of redaction: secrets drawn from the characters that encodings treat
 * specially, echoed in every layer a server may wrap them in (each character encoded or not, as
 * that layer allows), alone or many at once, are replaced exactly, and nothing else is touched.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED, redact, SHORT_SECRET_LENGTH } from "../src/utils/redact";
import { base64Echoes, inTurn, LAYERS } from "./support/echoes";

// Characters of secrets: those escapes, URL encoding and base64 treat specially, letters, digits,
// and some outside ASCII. The text around them uses none of these.
const secretChar = fc.constantFrom(..."aZ09u4e1-_.*=&:", ...' +%\\"/\n\t', ..."äß€", "😀");
const secret = fc.array(secretChar, { minLength: 1, maxLength: 40 }).map((chars) => chars.join(""));
const around = fc.stringMatching(/^[#!(){}|<>]{0,6}$/);
const choices = fc.array(fc.nat(), { minLength: 1, maxLength: 50 });
const layer = fc.constantFrom(...Object.keys(LAYERS));
const isLong = (s: string) => [...s].length >= SHORT_SECRET_LENGTH;

/** A secret echoed in a layer, or (when long) in one of its base64 forms. */
const echoOf = (s: string, name: string, picks: number[], base64: number) =>
  isLong(s) && base64 < 3
    ? (base64Echoes(s)[base64] as string)
    : (LAYERS[name] as (t: string, c: unknown) => string)(s, inTurn(picks));

describe("redact (properties)", () => {
  it("replaces a secret echoed in any layer, each character encoded or not, and nothing around it", () => {
    fc.assert(
      fc.property(
        secret,
        layer,
        choices,
        fc.nat(5),
        around,
        around,
        (s, name, picks, base64, before, after) => {
          const echo = echoOf(s, name, picks, base64);
          expect(redact(`${before}#${echo}#${after}`, [s])).toBe(`${before}#${REDACTED}#${after}`);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("replaces many secrets echoed at once, each in its own way", () => {
    const echoed = fc.record({ s: secret, name: layer, picks: choices, base64: fc.nat(5) });
    fc.assert(
      fc.property(fc.array(echoed, { minLength: 1, maxLength: 30 }), (all) => {
        const text = all.map(({ s, name, picks, base64 }) => echoOf(s, name, picks, base64)).join("#");
        expect(
          redact(
            text,
            all.map(({ s }) => s),
          ),
        ).toBe(all.map(() => REDACTED).join("#"));
      }),
      { numRuns: 300 },
    );
  });

  it("replaces every character a long secret decides within the base64 of a longer text", () => {
    const longSecret = secret.filter(isLong);
    const bytes = fc.string({ minLength: 1, maxLength: 12, unit: "binary" });
    fc.assert(
      fc.property(longSecret, bytes, bytes, fc.boolean(), (s, head, tail, urlSafe) => {
        const encoding = urlSafe ? "base64url" : "base64";
        const text = Buffer.from(`${head}${s}${tail}`, "utf8").toString(encoding);
        const headBytes = Buffer.byteLength(head, "utf8");
        const secretEnd = headBytes + Buffer.byteLength(s, "utf8");
        // Characters up to here hold only bytes of `head`; from `tailFrom` on only bytes of `tail`.
        const headChars = Math.floor((8 * headBytes) / 6);
        const tailFrom = Math.ceil((8 * secretEnd) / 6);
        const [shownHead, shownTail, ...rest] = redact(text, [s]).split(REDACTED);
        expect(rest).toEqual([]);
        expect(text.startsWith(shownHead as string)).toBe(true);
        expect(shownHead?.length).toBeLessThanOrEqual(headChars + 1);
        expect(text.endsWith(shownTail as string)).toBe(true);
        expect(shownTail?.length).toBeLessThanOrEqual(text.length - tailFrom + 1);
      }),
      { numRuns: 1_000 },
    );
  });
});
