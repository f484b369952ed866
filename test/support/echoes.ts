/**
 * The ways a server may echo a secret, each character encoded in any way its layer allows, for
 * redaction tests. `choose(n)` picks one of `n` ways (0 is the usual one).
 */
export type Choose = (ways: number) => number;

/** Always the usual way: what JSON.stringify and encodeURIComponent write. */
export const usual: Choose = () => 0;

/** Picks from `choices` in turn (fast-check draws them). */
export function inTurn(choices: number[]): Choose {
  let next = 0;
  return (ways) => (choices[next++ % choices.length] ?? 0) % ways;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

const unicodeEscapes = (char: string, upper: boolean) =>
  [...Array(char.length).keys()]
    .map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`)
    .map((e) => (upper ? e.toUpperCase().replace("\\U", "\\u") : e));

/** A JSON string's content: `"`, `\` and controls always escaped, anything else maybe (`\/`, `\u00e4`, `\u00E4`). */
export function jsonEscaped(text: string, choose: Choose): string {
  return [...text]
    .map((char) => {
      const escapes = [
        SHORT_ESCAPES[char] ?? (char === "/" ? "\\/" : undefined),
        unicodeEscapes(char, false).join(""),
        unicodeEscapes(char, true).join(""),
      ].filter((e): e is string => e !== undefined);
      const mustEscape = char in SHORT_ESCAPES || char < " ";
      const ways = mustEscape ? escapes : [char, ...escapes];
      return ways[choose(ways.length)];
    })
    .join("");
}

/** URL-encoded: `%` and `+` always, a space as `+` or `%20`, anything else maybe, hex in either case. */
export function urlEncoded(text: string, choose: Choose): string {
  return [...text]
    .map((char) => {
      const bytes = [...Buffer.from(char, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
      const ways = [bytes.toUpperCase(), bytes];
      if (char === " ") ways.unshift("+");
      else if (char !== "%" && char !== "+") ways.unshift(char);
      return ways[choose(ways.length)];
    })
    .join("");
}

/** The layers a server may wrap a secret in, by name. */
export const LAYERS: Record<string, (text: string, choose: Choose) => string> = {
  plain: (text) => text,
  json: jsonEscaped,
  url: urlEncoded,
  "json, then url": (text, choose) => urlEncoded(jsonEscaped(text, choose), choose),
};

/** base64 of the secret's UTF-8 bytes: standard padded, unpadded, URL-safe. */
export function base64Echoes(text: string): string[] {
  const standard = Buffer.from(text, "utf8").toString("base64");
  return [standard, standard.replace(/=+$/, ""), Buffer.from(text, "utf8").toString("base64url")];
}
