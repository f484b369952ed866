import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MediaProviderClient } from "../src/client";
import { type Emulator, startEmulator } from "../src/emulator";
import { WhatsAppError } from "../src/errors";
import { check } from "../src/provider/check";
import { configureSettings } from "../src/provider/context";
import { diff } from "../src/provider/diff";
import { getMediaProviders } from "../src/provider/get-media-providers";
import { read } from "../src/provider/read";
import { readSettings } from "../src/provider/settings";

// Import and lookup by id (`pulumi import`, `MediaProvider.get`) and the listing function, against
// the emulator, with the endpoint and token from the stack config as the provider process has them.
const TOKEN = "lookup-api-token";
let emulator: Emulator;
let client: MediaProviderClient;

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

beforeAll(async () => {
  emulator = await startEmulator({ bots: { bot: TOKEN } });
  client = new MediaProviderClient({ botId: "bot", apiToken: TOKEN, baseUrl: emulator.url });
  await client.upsert({
    name: "bucket",
    type: "www",
    config: { basic: { username: "svc", password: "pw-1" } },
  });
  await client.upsert({ name: "cdn", type: "www", config: { bearer: "cdn-token" } });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});
beforeEach(() => configureSettings(config({ "whatsapp:baseUrl": emulator.url, "whatsapp:apiToken": TOKEN })));

describe("read with an id alone (import, get)", () => {
  it.each([{}, { __provider: "exports.handler = …" }])(
    "returns the inputs a program declaring it would have after check, and the outputs (%o)",
    async (props) => {
      const result = await read("bot/bucket", props);
      expect(result).toEqual({
        id: "bot/bucket",
        props: {
          botId: "bot",
          name: "bucket",
          type: "www",
          config: { basic: { username: "svc", password: "pw-1" } },
          authType: "basic",
          username: "svc",
        },
      });
    },
  );

  it("gives inputs that check accepts as they are and that a matching program does not change", async () => {
    const { props } = await read("bot/cdn", {});
    const { authType: _a, username: _u, ...inputs } = props as Record<string, unknown>;
    expect((await check(inputs, inputs)).failures).toBeUndefined();
    await configureSettings(
      config({ "whatsapp:baseUrl": emulator.url, "whatsapp:apiToken": TOKEN, "whatsapp:botId": "bot" }),
    );
    const program = await check(inputs, {
      name: "cdn",
      config: { bearer: "cdn-token" },
      autoName: "cdn-abcdefgh",
    });
    expect(program.failures).toBeUndefined();
    expect((await diff("bot/cdn", props as Record<string, unknown>, program.inputs)).changes).toBe(false);
  });

  it("gives a name from before the 2020 rules with adoptExisting, which check then accepts", async () => {
    emulator.setProvider("bot", { name: "legacy name 2019", type: "www", config: { bearer: "old-token" } });
    const { props } = await read("bot/legacy name 2019", {});
    expect(props).toMatchObject({ botId: "bot", name: "legacy name 2019", adoptExisting: true });
    const { authType: _a, username: _u, ...inputs } = props as Record<string, unknown>;
    expect((await check(inputs, inputs)).failures).toBeUndefined();
    await client.delete("legacy name 2019");
  });

  it.each([{ __provider: 42 }, { botId: "bot" }, null, "bot/cdn"])(
    "takes props other than nothing or __provider alone (%j) as a state to validate",
    async (props) => {
      emulator.resetCounters();
      const error = await read("bot/cdn", props).catch((e: unknown) => e);
      expect((error as WhatsAppError).code).toBe("ERR_WHATSAPP_INVALID_STATE");
      expect(emulator.counters().requests).toBe(0);
    },
  );

  it("fails for a provider the bot does not hold, naming it", async () => {
    const error = await read("bot/absent", {}).catch((e: unknown) => e);
    expect((error as WhatsAppError).code).toBe("ERR_WHATSAPP_NOT_FOUND");
    expect((error as Error).message).toContain('holds no media provider named "absent"');
  });

  it.each([
    "bucket",
    "/bucket",
    "bot/",
    "bot/a%2Fb",
    "",
    "bot/a/b",
    "bot/../x",
    "team/bot/cdn",
    "../cdn",
    "./cdn",
    "x%2F../cdn",
    "a b/cdn",
  ])("refuses the id %j with the expected form, sending nothing", async (id) => {
    emulator.resetCounters();
    const error = await read(id, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppError);
    expect((error as WhatsAppError).code).toBe("ERR_WHATSAPP_INVALID_ID");
    expect((error as Error).message).toContain('"<botId>/<name>"');
    expect(emulator.counters().requests).toBe(0);
  });

  it("says which rule a bot id of an id breaks", async () => {
    const error = await read("../cdn", {}).catch((e: unknown) => e);
    expect((error as Error).message).toContain(
      '"../cdn" is not the id of a MediaProvider (bot id ".." cannot be carried in the API path as is',
    );
  });

  it.each(["a.b", "x:y@z", "b~1"])("asks the API for a bot id %j that keeps the rule", async (botId) => {
    emulator.resetCounters();
    const error = await read(`${botId}/cdn`, {}).catch((e: unknown) => e);
    expect((error as WhatsAppError).code).toBe("ERR_WHATSAPP_UNAUTHORIZED");
    expect(emulator.counters().requests).toBeGreaterThan(0);
  });
});

describe("getMediaProviders", () => {
  it("lists the bot's providers with what can be shown of their credentials", async () => {
    const list = await getMediaProviders({ botId: "bot" });
    expect(list).toEqual({
      botId: "bot",
      providers: [
        {
          name: "bucket",
          type: "www",
          config: { basic: { username: "svc", password: "pw-1" } },
          authType: "basic",
          username: "svc",
        },
        { name: "cdn", type: "www", config: { bearer: "cdn-token" }, authType: "bearer" },
      ],
    });
  });

  it("takes explicit settings (a program's stack config) over the process's", async () => {
    await configureSettings(config({}));
    const settings = readSettings(
      config({ "whatsapp:botId": "bot", "whatsapp:baseUrl": emulator.url, "whatsapp:apiToken": TOKEN }),
      {},
    );
    expect((await getMediaProviders(undefined, settings)).providers.map((p) => p.name)).toEqual([
      "bucket",
      "cdn",
    ]);
  });

  it.each([
    [{ botId: "" }, "getMediaProviders: botId must not be empty."],
    [{ region: "mars" }, "getMediaProviders: region must be one of us1, eu1."],
    [{ name: "cdn" }, "getMediaProviders: name is not an argument of getMediaProviders; remove it"],
    ["bot", "getMediaProviders: arguments must be an object"],
    [{}, "No bot id: set botId, or stack config whatsapp:botId, or WHATSAPP_BOT_ID."],
    [{ botId: "bot" }, "No API token for bot bot: set apiToken, or run 'pulumi config set --secret"],
    [{ botId: "bot", apiToken: "t" }, "No endpoint: set region (us1 or eu1) or baseUrl, or stack config"],
  ])("refuses %o before any request", async (args, message) => {
    emulator.resetCounters();
    const error = await getMediaProviders(args, readSettings(config({}), {})).catch((e: unknown) => e);
    expect((error as WhatsAppError).code).toBe("ERR_WHATSAPP_CONFIGURATION");
    expect((error as Error).message).toContain(message);
    expect(emulator.counters().requests).toBe(0);
  });

  it.each(["a/b", "..", ".", "x%2F..", "bot/../x"])(
    "refuses the bot id %j before any request",
    async (botId) => {
      emulator.resetCounters();
      const error = await getMediaProviders({ botId }).catch((e: unknown) => e);
      expect((error as WhatsAppError).code).toBe("ERR_WHATSAPP_CONFIGURATION");
      expect((error as Error).message).toContain(
        "getMediaProviders: botId must be one path segment as it is: letters, digits and",
      );
      expect(emulator.counters().requests).toBe(0);
    },
  );

  it("says what check says of a MediaProvider missing the same settings", async () => {
    await configureSettings(config({ "whatsapp:region": "mars" }));
    const settings = readSettings(config({ "whatsapp:region": "mars" }), {});
    const error = await getMediaProviders({ botId: "bot", apiToken: "t" }, settings).catch((e: unknown) => e);
    const { failures } = await check({}, { botId: "bot", apiToken: "t", config: { bearer: "b" } });
    expect(failures?.map((f) => f.reason)).toEqual([
      'The configured region "mars" is unknown: use us1 or eu1 (whatsapp:region or WHATSAPP_REGION).',
    ]);
    expect((error as Error).message).toBe(`getMediaProviders: ${failures?.[0]?.reason}`);
  });

  it("fails a wrong token with a 401 that does not spell the token", async () => {
    const error = await getMediaProviders({ botId: "bot", apiToken: "wrong-token-123" }).catch(
      (e: unknown) => e,
    );
    expect((error as WhatsAppError).code).toBe("ERR_WHATSAPP_UNAUTHORIZED");
    expect((error as Error).message).not.toContain("wrong-token-123");
  });
});
