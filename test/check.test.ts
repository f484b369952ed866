import { afterEach, describe, expect, it } from "vitest";
import { check } from "../src/provider/check";
import { configureSettings } from "../src/provider/context";
import { UNKNOWN } from "../src/utils/pulumi-wire";

function withConfig(values: Record<string, string>): Promise<void> {
  return configureSettings({ get: (key) => values[key] });
}

const complete = {
  botId: "bot",
  region: "eu1",
  apiToken: "token-value",
  name: "cdn_basic",
  config: { basic: { username: "svc", password: "pw-value" } },
};

function reasons(result: Awaited<ReturnType<typeof check>>): Record<string, string> {
  return Object.fromEntries((result.failures ?? []).map((f) => [f.property, f.reason]));
}

describe("check", () => {
  afterEach(() => withConfig({}));

  it("accepts complete inputs, defaults the type and drops the auto-name", async () => {
    const result = await check({}, { ...complete, autoName: "cdn-abcdefgh", __provider: "x" });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual({ ...complete, type: "www" });
  });

  it.each([
    ["name", { name: "cdn1" }, "name may contain only the letters"],
    ["name", { name: "with space" }, "may contain only"],
    ["name", { name: "" }, "name must not be empty"],
    ["name", { name: "a".repeat(201) }, "at most 200 characters"],
    ["type", { type: "s3" }, 'type must be "www"'],
    ["region", { region: "ap1" }, "region must be one of us1, eu1"],
    ["baseUrl", { baseUrl: "ftp://x" }, "absolute http or https URL"],
    ["baseUrl", { baseUrl: "https://u:p@x" }, "must not contain credentials"],
    ["config", { config: { basic: { username: "u", password: "p" }, bearer: "b" } }, "exactly one of"],
    ["config", { config: {} }, "exactly one of"],
    ["config", { config: undefined }, "config is required"],
    ["config.basic.password", { config: { basic: { username: "u", password: "" } } }, "must not be empty"],
    ["config.basic.password", { config: { basic: { username: "u" } } }, "is required"],
    ["config.bearer", { config: { bearer: 42 } }, "must be a string"],
    ["config.extra", { config: { bearer: "b", extra: 1 } }, "is not an input"],
    ["colour", { colour: "red" }, "colour is not an input of MediaProvider"],
    ["adoptExisting", { adoptExisting: "yes" }, "adoptExisting must be a boolean"],
    ["verify.url", { verify: { url: "storage/probe.png" } }, "absolute http or https URL"],
    [
      "verify.method",
      { verify: { url: "https://s.example/p.png", method: "POST" } },
      'must be "HEAD" or "GET"',
    ],
  ])("names %s and the rule when it is wrong (%j)", async (property, change, rule) => {
    const result = await check({}, { ...complete, ...change });
    expect(reasons(result)[property]).toContain(rule);
  });

  it("lets a name from before the 2020 rules through only for adoption", async () => {
    expect(reasons(await check({}, { ...complete, name: "legacy name 1" })).name).toContain(
      "may contain only",
    );
    expect(
      (await check({}, { ...complete, name: "legacy name 1", adoptExisting: true })).failures,
    ).toBeUndefined();
  });

  it.each(["a/b", "..", ".", "", "x%2F..", "bot/../x"])("refuses the bot id %j", async (botId) => {
    expect(reasons(await check({}, { ...complete, botId })).botId).toMatch(
      /^botId must (not be empty|be one path segment as it is: letters, digits and - \. _ ~ ! \$ & ' \( \) \* \+ , ; = : @ \(no \/ or %\), and not "\." or "\.\.")/,
    );
  });

  it.each(["bot", "a.b", "x:y@z", "b~1"])("accepts the bot id %j", async (botId) => {
    expect((await check({}, { ...complete, botId })).failures).toBeUndefined();
  });

  it("allows a 200-character name", async () => {
    expect((await check({}, { ...complete, name: "a".repeat(200) })).failures).toBeUndefined();
  });

  it("asks for a bot id, a token and an endpoint when nothing provides them", async () => {
    const { botId: _b, apiToken: _t, region: _r, ...rest } = complete;
    const failures = reasons(await check({}, rest));
    expect(failures.botId).toContain("whatsapp:botId");
    expect(failures.apiToken).toContain("pulumi config set --secret whatsapp:apiToken");
    expect(failures.region).toContain("whatsapp:region");
  });

  it("takes the bot id from stack config into the inputs, but never the token", async () => {
    await withConfig({
      "whatsapp:botId": "cfg-bot",
      "whatsapp:apiToken": "cfg-token",
      "whatsapp:region": "us1",
    });
    const { botId: _b, apiToken: _t, region: _r, ...rest } = complete;
    const result = await check({}, rest);
    expect(result.failures).toBeUndefined();
    expect(result.inputs.botId).toBe("cfg-bot");
    expect(result.inputs).not.toHaveProperty("apiToken");
    expect(JSON.stringify(result.inputs)).not.toContain("cfg-token");
  });

  it("reports a bad region in stack config", async () => {
    await withConfig({ "whatsapp:region": "mars" });
    const { region: _r, ...rest } = complete;
    expect(reasons(await check({}, rest)).region).toContain('configured region "mars"');
  });

  it("holds a configured base URL to the inputs' rule: http(s), without credentials", async () => {
    const { region: _r, ...rest } = complete;
    await withConfig({ "whatsapp:baseUrl": "https://user:s3cret-pw@api.example.com" });
    const reason = reasons(await check({}, rest)).baseUrl;
    expect(reason).toContain("must not contain credentials");
    expect(reason).not.toContain("s3cret-pw");
    await withConfig({ "whatsapp:baseUrl": "ftp://api.example.com" });
    expect(reasons(await check({}, rest)).baseUrl).toContain("must be an absolute http or https URL");
  });

  it("keeps the name of an earlier run instead of a new auto-name", async () => {
    const { name: _n, ...rest } = complete;
    const first = await check({}, { ...rest, autoName: "cdn-aaaaaaaa" });
    expect(first.inputs.name).toBe("cdn-aaaaaaaa");
    const second = await check(first.inputs, { ...rest, autoName: "cdn-bbbbbbbb" });
    expect(second.inputs.name).toBe("cdn-aaaaaaaa");
  });

  it("lets values that are not known yet pass", async () => {
    const result = await check(
      {},
      {
        ...complete,
        name: UNKNOWN,
        botId: UNKNOWN,
        region: UNKNOWN,
        config: { basic: { username: "svc", password: UNKNOWN } },
      },
    );
    expect(result.failures).toBeUndefined();
    const wholeConfig = await check({}, { ...complete, config: UNKNOWN });
    expect(wholeConfig.failures).toBeUndefined();
  });

  it("still reports known mistakes next to unknown values", async () => {
    const result = await check({}, { ...complete, name: "bad name", config: UNKNOWN });
    expect(Object.keys(reasons(result))).toEqual(["name"]);
  });

  it("never puts a secret value in a failure", async () => {
    const result = await check(
      {},
      { ...complete, config: { basic: { username: 7, password: "s3cret-pw" }, bearer: "s3cret-tok" } },
    );
    expect(JSON.stringify(result.failures)).not.toMatch(/s3cret/);
  });
});
