import { describe, expect, it } from "vitest";
import { base64Echoes, LAYERS, usual } from "./support/echoes";
import { BASE64_SCAN_MIN_LENGTH, leaksIn } from "./support/secret-leaks";

const SECRET = 'pä$$/"w(o)rd+ 100%-€';
const asciiJson = (text: string) =>
  JSON.stringify(text)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\//g, "\\/");

describe("leaksIn, the scan of test outputs", () => {
  const echoes: [string, string][] = [
    ...Object.entries(LAYERS).map(([name, layer]): [string, string] => [name, layer(SECRET, usual)]),
    ...base64Echoes(SECRET).map((echo, i): [string, string] => [`base64 #${i}`, echo]),
    ["JSON with \\u escapes", asciiJson(SECRET)],
    [
      "JSON with upper-case \\u escapes",
      asciiJson(SECRET).replace(/\\u(\w{4})/g, (_, h) => `\\u${h.toUpperCase()}`),
    ],
    ["encodeURIComponent", encodeURIComponent(SECRET)],
    ["encodeURIComponent, lower-case hex", encodeURIComponent(SECRET).toLowerCase()],
    ["a form", new URLSearchParams({ password: SECRET }).toString()],
    ["JSON in a URL", encodeURIComponent(JSON.stringify({ password: SECRET }))],
    // A Basic header for users of every length modulo 3: the secret starts at each byte offset.
    ...["u", "us", "usr"].map((user): [string, string] => [
      `a Basic header for ${user}`,
      `Authorization: Basic ${Buffer.from(`${user}:${SECRET}`).toString("base64")}`,
    ]),
    ["a URL-safe Basic header", `Basic ${Buffer.from(`user:${SECRET}`).toString("base64url")}`],
  ];

  it.each(echoes)("finds a secret echoed as %s", (_, echo) => {
    expect(leaksIn(`{"log":"before ${echo} after"}`, ["unrelated-secret", SECRET])).not.toEqual([]);
  });

  it("says which secret leaked, how, and where, and finds nothing where no form of it is", () => {
    const found = leaksIn(`token: ${Buffer.from("a-long-token").toString("base64")}`, [
      "other-secret",
      "a-long-token",
    ]);
    expect(found).toEqual([expect.stringMatching(/^secret #1 in base64: …token: YS1sb25nLXRva2Vu…$/)]);
    const near = SECRET.slice(0, -1);
    expect(leaksIn(JSON.stringify({ near, b64: Buffer.from(near).toString("base64") }), [SECRET])).toEqual(
      [],
    );
  });

  it(`looks for a secret under ${BASE64_SCAN_MIN_LENGTH} characters as text only`, () => {
    expect(leaksIn("short s3cr", ["s3cr"])).toHaveLength(1);
    expect(leaksIn(Buffer.from("s3cr").toString("base64"), ["s3cr"])).toEqual([]);
  });
});
