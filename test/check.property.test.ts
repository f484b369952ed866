/**
 * Property-based tests of input validation: names and configs from the whole space (unicode,
 * digits, empty, 200 and 201 characters, both or neither of basic/bearer, non-string values,
 * extra keys) are judged by check exactly as an independent reading of the spec judges them, and
 * the emulator (the spec's server side) accepts exactly the same ones.
 */
import fc from "fast-check";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/emulator";
import { check } from "../src/provider/check";
import { configureSettings } from "../src/provider/context";

// The oracle: the spec's rules, written again independently of the zod schemas under test.
const validName = (n: unknown) =>
  typeof n === "string" && n.length >= 1 && n.length <= 200 && /^[A-Za-z_-]+$/.test(n);
const nonEmpty = (s: unknown) => typeof s === "string" && s.length > 0;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
function validConfig(c: unknown): boolean {
  if (!isObject(c)) return false;
  const keys = Object.keys(c);
  if (keys.length !== 1) return false;
  if (keys[0] === "bearer") return nonEmpty(c.bearer);
  if (keys[0] !== "basic" || !isObject(c.basic)) return false;
  const basic = c.basic;
  return (
    Object.keys(basic).sort().join() === "password,username" &&
    nonEmpty(basic.username) &&
    nonEmpty(basic.password)
  );
}

const letters = fc.constantFrom(..."abcXYZ-_");
const anyValue = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);
const nameArb = fc.oneof(
  fc.string({ unit: letters, minLength: 1, maxLength: 200 }),
  fc.constantFrom(
    "a".repeat(200),
    "a".repeat(201),
    "",
    "cdn1",
    "with space",
    "naïve",
    "日本",
    "a\nb",
    "-",
    "_",
  ),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 10 }),
  anyValue,
);
const secretArb = fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constant(""), anyValue);
const configArb = fc.oneof(
  fc.record({ basic: fc.record({ username: secretArb, password: secretArb }) }),
  fc.record({ bearer: secretArb }),
  fc.record({ basic: fc.record({ username: secretArb, password: secretArb }), bearer: secretArb }),
  fc.constant({}),
  fc.record({ bearer: secretArb, extra: anyValue }),
  fc.record({ basic: fc.record({ username: secretArb, password: secretArb, role: secretArb }) }),
  fc.record({ basic: fc.record({ username: secretArb }) }),
  anyValue,
);

/** Credential-like strings of a config, long enough not to match a rule's own words by chance. */
function secretsIn(config: unknown): string[] {
  if (!isObject(config)) return [];
  const basic = isObject(config.basic) ? config.basic : {};
  return [config.bearer, basic.username, basic.password].filter(
    (v): v is string => typeof v === "string" && v.length >= 8,
  );
}

const base = { botId: "bot", region: "eu1", apiToken: "token-value", type: "www" };
let tried = 0;

describe("check, property-based", () => {
  beforeAll(() => configureSettings({ get: () => undefined }));
  afterAll(() => console.log(`[property] check judged ${tried} generated inputs`));

  it("fails exactly the inputs the spec forbids, naming the property at fault", async () => {
    await fc.assert(
      fc.asyncProperty(nameArb, configArb, async (name, config) => {
        tried++;
        const result = await check({}, { ...base, name, config });
        const failed = new Set((result.failures ?? []).map((f) => f.property.split(".")[0]));
        expect(failed.has("name")).toBe(!validName(name));
        expect(failed.has("config")).toBe(!validConfig(config));
        for (const f of result.failures ?? []) expect(f.reason.startsWith(f.property)).toBe(true);
        // Reasons name rules, never values: no credential ends up in an error.
        const reasons = JSON.stringify(result.failures ?? []);
        for (const secret of secretsIn(config)) expect(reasons).not.toContain(secret);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("the emulator, property-based", () => {
  let emulator: Emulator;
  let posted = 0;
  beforeAll(async () => {
    emulator = await startEmulator({ bots: { bot: "tok" } });
  });
  afterAll(async () => {
    console.log(`[property] emulator judged ${posted} generated bodies`);
    await emulator.close();
  });

  it("accepts exactly what check accepts", async () => {
    await fc.assert(
      fc.asyncProperty(nameArb, configArb, async (name, config) => {
        posted++;
        const { statusCode, body } = await request(`${emulator.url}/whatsapp/v1/bot/provision/provider`, {
          method: "POST",
          headers: { authorization: "Bearer tok", "content-type": "application/json" },
          body: JSON.stringify({ name, type: "www", config }),
        });
        await body.dump();
        const accepted = (await check({}, { ...base, name, config })).failures === undefined;
        expect(statusCode === 200).toBe(accepted);
      }),
      { numRuns: 300 },
    );
  });
});
