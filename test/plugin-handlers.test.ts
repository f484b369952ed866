import { credentials, type ServiceError, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/emulator";
import { check } from "../src/plugin/handlers/check";
import { checkConfig, configure, diffConfig } from "../src/plugin/handlers/config";
import { create } from "../src/plugin/handlers/create";
import { deleteResource } from "../src/plugin/handlers/delete";
import { diff } from "../src/plugin/handlers/diff";
import { invoke } from "../src/plugin/handlers/invoke";
import { getPluginInfo, getSchema } from "../src/plugin/handlers/plugin-info";
import { read } from "../src/plugin/handlers/read";
import { update } from "../src/plugin/handlers/update";
import { Empty, provider, Struct, service } from "../src/plugin/proto";
import { startPluginServer } from "../src/plugin/server";
import { PLAIN_CODECS, type WireCodec } from "../src/plugin/service-definition";
import type { Rpc } from "../src/plugin/unary";
import { fromStruct } from "../src/plugin/wire-values";
import { configureSettings } from "../src/provider/context";
import { PACKAGE_VERSION } from "../src/utils/package-json";
import { UNKNOWN } from "../src/utils/pulumi-wire";
import { toStruct } from "./support/struct";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const wrapped = (value: unknown) => ({ [SIG]: SECRET_SIG, value });
const URN = "urn:pulumi:dev::proj::whatsapp:index:MediaProvider::cdn";
const TOKEN = "tok-0123456789";
const { DiffChanges } = provider.DiffResponse;
const { Kind } = provider.PropertyDiff;

let emulator: Emulator;

/**
 * `rpc` called as grpc-js calls it: the request as the engine encodes it (the SDK's class) read by
 * the plugin's codec, the answer written by the codec and read back with the SDK's class.
 */
function viaWire<Request, Response, Answer>(
  name: keyof typeof PLAIN_CODECS,
  rpc: Rpc<Request, Response>,
  answer: { deserializeBinary(bytes: Uint8Array): Answer },
) {
  const codec = PLAIN_CODECS[name] as unknown as WireCodec<Request, Response>;
  return async (request: { serializeBinary(): Uint8Array }) =>
    answer.deserializeBinary(
      codec.write(await rpc.handle(codec.read(Buffer.from(request.serializeBinary())))),
    );
}
const callCheckConfig = viaWire("checkConfig", checkConfig, provider.CheckResponse);
const callDiffConfig = viaWire("diffConfig", diffConfig, provider.DiffResponse);
const callCheck = viaWire("check", check, provider.CheckResponse);
const callDiff = viaWire("diff", diff, provider.DiffResponse);
const callCreate = viaWire("create", create, provider.CreateResponse);
const callRead = viaWire("read", read, provider.ReadResponse);
const callUpdate = viaWire("update", update, provider.UpdateResponse);
const callDelete = viaWire("delete", deleteResource, Empty);

function configRequest(values: Record<string, unknown>): provider.ConfigureRequest {
  const request = new provider.ConfigureRequest();
  request.setArgs(Struct.fromJavaScript(values as never));
  for (const [key, value] of Object.entries(values)) {
    const plain = value !== null && typeof value === "object" && "value" in value ? value.value : value;
    request.getVariablesMap().set(`whatsapp:config:${key}`, String(plain));
  }
  request.setAcceptsecrets(true);
  return request;
}

/** Configures the plugin for the emulator's bot, as the engine does from the stack config. */
function configureForEmulator(extra: Record<string, unknown> = {}) {
  return configure.handle(
    configRequest({ botId: "bot", baseUrl: emulator.url, apiToken: wrapped(TOKEN), maxRetries: 0, ...extra }),
  );
}

function checkRequest(news: Record<string, unknown>, olds: Record<string, unknown> = {}, seed = "seed-1") {
  const request = new provider.CheckRequest();
  request.setUrn(URN);
  request.setName("cdn");
  request.setOlds(toStruct(olds));
  request.setNews(toStruct(news));
  request.setRandomseed(Buffer.from(seed));
  return request;
}

async function checked(news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  return (await callCheck(checkRequest(news, olds))).getInputs() as Struct;
}

function createRequest(properties: Struct, preview = false) {
  const request = new provider.CreateRequest();
  request.setUrn(URN);
  request.setProperties(properties);
  request.setPreview(preview);
  return request;
}

function diffRequest(olds: Struct, news: Struct, ignore: string[] = []) {
  const request = new provider.DiffRequest();
  request.setId("bot/cdn");
  request.setUrn(URN);
  request.setOlds(olds);
  request.setNews(news);
  request.setIgnorechangesList(ignore);
  return request;
}

function readRequest(id: string, properties?: Struct, inputs?: Struct) {
  const request = new provider.ReadRequest();
  request.setId(id);
  request.setUrn(URN);
  if (properties) request.setProperties(properties);
  if (inputs) request.setInputs(inputs);
  return request;
}

const bearer = { name: "cdn", config: { bearer: wrapped("bearer-secret-1") } };

beforeAll(async () => {
  emulator = await startEmulator({ bots: { bot: TOKEN } });
});
beforeEach(async () => {
  for (const p of emulator.providers("bot")) emulator.removeProvider("bot", p.name);
  emulator.setFaults({});
  emulator.resetCounters();
  await configureForEmulator();
});
afterAll(async () => {
  await configureSettings({ get: () => undefined });
  await emulator.close();
});

describe("plugin information", () => {
  it("answers the package version and the schema of version 0 only", async () => {
    expect((await getPluginInfo.handle(new Empty())).getVersion()).toBe(PACKAGE_VERSION);
    const schema = JSON.parse((await getSchema.handle(new provider.GetSchemaRequest())).getSchema());
    expect(schema.name).toBe("whatsapp");
    expect(Object.keys(schema.resources)).toEqual(["whatsapp:index:MediaProvider"]);
    await expect(getSchema.handle(new provider.GetSchemaRequest().setVersion(1))).rejects.toThrow(
      "unsupported schema version 1",
    );
  });
});

describe("provider config", () => {
  it("accepts secrets and previews, and reads the stack config keys of the dynamic resource", async () => {
    const response = await configureForEmulator();
    expect(response.getAcceptsecrets()).toBe(true);
    expect(response.getSupportspreview()).toBe(true);
    expect(response.getAcceptresources()).toBe(false);
    const inputs = fromStruct(await checked({ config: { bearer: "b" } })).props;
    expect(inputs).toMatchObject({ botId: "bot", name: expect.stringMatching(/^cdn-[a-z]{8}$/) });
  });

  it("fails Configure with the settings' message when a tuning value is wrong", async () => {
    await expect(configureForEmulator({ maxRetries: "many" })).rejects.toThrow(
      'whatsapp:maxRetries must be a whole number; it is "many".',
    );
  });

  it("reports a wrong tuning value in CheckConfig, on its key, and returns the inputs as sent", async () => {
    const news = toStruct({
      botId: "bot",
      apiToken: wrapped(TOKEN),
      maxConcurrency: "0",
      maxRetries: UNKNOWN,
      version: "0.1.0",
    });
    const request = new provider.CheckRequest().setUrn(
      "urn:pulumi:dev::proj::pulumi:providers:whatsapp::default",
    );
    request.setNews(news);
    const response = await callCheckConfig(request);
    expect(response.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([
      ["maxConcurrency", 'whatsapp:maxConcurrency must be a whole number above 0; it is "0".'],
    ]);
    expect(response.getInputs()?.toJavaScript()).toEqual(news.toJavaScript());
  });

  it("wraps the token in CheckConfig's answer when the engine sends it plain, as it does", async () => {
    const request = new provider.CheckRequest().setNews(toStruct({ botId: "bot", apiToken: TOKEN }));
    const response = await callCheckConfig(request);
    expect(response.getInputs()?.toJavaScript()).toEqual({ botId: "bot", apiToken: wrapped(TOKEN) });
  });

  it("reports changed config keys in DiffConfig, never a replacement", async () => {
    const request = new provider.DiffRequest();
    request.setOlds(toStruct({ botId: "bot", apiToken: wrapped("old") }));
    request.setNews(toStruct({ botId: "bot", apiToken: wrapped("new"), region: "eu1" }));
    const response = await callDiffConfig(request);
    expect(response.getChanges()).toBe(DiffChanges.DIFF_SOME);
    expect(response.getDiffsList().sort()).toEqual(["apiToken", "region"]);
    expect(response.getReplacesList()).toEqual([]);
    const same = new provider.DiffRequest()
      .setOlds(toStruct({ botId: "b" }))
      .setNews(toStruct({ botId: "b" }));
    expect((await callDiffConfig(same)).getChanges()).toBe(DiffChanges.DIFF_NONE);
  });
});

describe("Check", () => {
  it("auto-names from the engine's seed: same seed, same name; another seed, another name", async () => {
    const name = async (seed: string) =>
      fromStruct((await callCheck(checkRequest({ config: { bearer: "b" } }, {}, seed))).getInputs()).props
        .name;
    expect(await name("seed-1")).toBe(await name("seed-1"));
    expect(await name("seed-1")).not.toBe(await name("seed-2"));
    expect(await name("seed-1")).toMatch(/^cdn-[a-z]{8}$/);
  });

  it("keeps the name of an earlier run and the given one", async () => {
    const olds = { name: "kept-name" };
    expect(fromStruct(await checked({ config: { bearer: "b" } }, olds)).props.name).toBe("kept-name");
    expect(fromStruct(await checked(bearer)).props.name).toBe("cdn");
  });

  it("returns the dynamic resource's failures as CheckFailure entries", async () => {
    const response = await callCheck(checkRequest({ name: "cdn1", config: {}, colour: "red" }));
    expect(response.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([
      ["name", "name may contain only the letters A-Z and a-z, '-' and '_' (no digits or spaces)"],
      ["config", "config must hold exactly one of basic {username, password} or bearer"],
      ["colour", "colour is not an input of MediaProvider; remove it"],
    ]);
  });

  it("wraps config and apiToken in its answer, and lets unknown values pass", async () => {
    const inputs = (
      await checked({ name: UNKNOWN, config: { bearer: "plain" }, apiToken: "t" })
    ).toJavaScript();
    expect(inputs).toMatchObject({
      name: UNKNOWN,
      config: wrapped({ bearer: "plain" }),
      apiToken: wrapped("t"),
    });
    expect(emulator.counters().requests).toBe(0);
  });
});

describe("Diff", () => {
  it("says DIFF_NONE when nothing differs", async () => {
    const inputs = await checked(bearer);
    const outs = (await callCreate(createRequest(inputs))).getProperties() as Struct;
    const response = await callDiff(diffRequest(outs, inputs));
    expect(response.getChanges()).toBe(DiffChanges.DIFF_NONE);
    expect(response.getDiffsList()).toEqual([]);
  });

  it("gives a detailed diff: config updated in place, name replaced, a removed key deleted", async () => {
    const olds = toStruct({
      botId: "bot",
      name: "cdn",
      type: "www",
      config: wrapped({ bearer: "a" }),
      region: "eu1",
    });
    const news = toStruct({ botId: "bot", name: "other", type: "www", config: wrapped({ bearer: "b" }) });
    const response = await callDiff(diffRequest(olds, news));
    expect(response.getChanges()).toBe(DiffChanges.DIFF_SOME);
    expect(response.getReplacesList()).toEqual(["name"]);
    expect(response.getDiffsList()).toEqual(["name", "config", "region"]);
    const detailed = Object.fromEntries(
      response
        .getDetaileddiffMap()
        .getEntryList()
        .map(([key, d]) => [key, (d as unknown as [number, boolean])[0]]),
    );
    expect(detailed).toEqual({ name: Kind.UPDATE_REPLACE, config: Kind.UPDATE, region: Kind.DELETE });
    expect(response.getHasdetaileddiff()).toBe(true);
  });

  it("leaves out ignored keys and counts unknown values as changes", async () => {
    const olds = toStruct({ botId: "bot", name: "cdn", config: { bearer: "a" } });
    const news = toStruct({ botId: UNKNOWN, name: "cdn", config: { bearer: "b" } });
    const response = await callDiff(diffRequest(olds, news, ["config"]));
    expect(response.getDiffsList()).toEqual(["botId"]);
    expect(response.getReplacesList()).toEqual(["botId"]);
  });
});

describe("Create, Read, Update, Delete against the emulator", () => {
  it("creates the provider and answers its id and outputs, credentials as secrets", async () => {
    const response = await callCreate(createRequest(await checked(bearer)));
    expect(response.getId()).toBe("bot/cdn");
    expect(response.getProperties()?.toJavaScript()).toEqual({
      botId: "bot",
      name: "cdn",
      type: "www",
      config: wrapped({ bearer: "bearer-secret-1" }),
      authType: "bearer",
    });
    expect(emulator.providers("bot")).toEqual([
      { name: "cdn", type: "www", config: { bearer: "bearer-secret-1" } },
    ]);
  });

  it("sends nothing in a preview, and leaves unknown what comes from an unknown config", async () => {
    const inputs = await checked({ name: "cdn", config: UNKNOWN });
    const response = await callCreate(createRequest(inputs, true));
    expect(response.getId()).toBe("");
    expect(response.getProperties()?.toJavaScript()).toMatchObject({
      name: "cdn",
      config: wrapped(UNKNOWN),
      authType: UNKNOWN,
      username: UNKNOWN,
    });
    const known = await callCreate(
      createRequest(
        await checked({ name: "cdn", config: { basic: { username: "u", password: UNKNOWN } } }),
        true,
      ),
    );
    expect(known.getProperties()?.toJavaScript()).toMatchObject({ authType: "basic", username: "u" });
    expect(emulator.counters().requests).toBe(0);
  });

  it("refreshes: drift shows in outputs and inputs, and a provider deleted out of band has an empty id", async () => {
    const inputs = await checked(bearer);
    const outs = (await callCreate(createRequest(inputs))).getProperties() as Struct;
    emulator.setProvider("bot", { name: "cdn", type: "www", config: { bearer: "changed-by-hand" } });
    // A refresh runs in a new plugin process: no list seen before the drift.
    await configureForEmulator();
    const response = await callRead(readRequest("bot/cdn", outs, inputs));
    expect(response.getId()).toBe("bot/cdn");
    expect(response.getProperties()?.toJavaScript()).toMatchObject({
      config: wrapped({ bearer: "changed-by-hand" }),
    });
    expect(response.getInputs()?.toJavaScript()).toEqual({
      botId: "bot",
      name: "cdn",
      type: "www",
      config: wrapped({ bearer: "changed-by-hand" }),
    });
    emulator.removeProvider("bot", "cdn");
    await configureForEmulator();
    expect((await callRead(readRequest("bot/cdn", outs, inputs))).getId()).toBe("");
  });

  it("updates in place, sending nothing in a preview", async () => {
    const inputs = await checked(bearer);
    const outs = (await callCreate(createRequest(inputs))).getProperties() as Struct;
    const news = await checked(
      { name: "cdn", config: { basic: { username: "u", password: "pw" } } },
      { name: "cdn" },
    );
    const request = new provider.UpdateRequest();
    request.setId("bot/cdn");
    request.setUrn(URN);
    request.setOlds(outs);
    request.setNews(news);
    request.setPreview(true);
    emulator.resetCounters();
    expect((await callUpdate(request)).getProperties()?.toJavaScript()).toMatchObject({ username: "u" });
    expect(emulator.counters().requests).toBe(0);
    request.setPreview(false);
    const response = await callUpdate(request);
    expect(response.getProperties()?.toJavaScript()).toMatchObject({
      config: wrapped({ basic: { username: "u", password: "pw" } }),
      authType: "basic",
      username: "u",
    });
    expect(emulator.providers("bot")[0]?.config).toEqual({ basic: { username: "u", password: "pw" } });
  });

  it("deletes the provider named in the state", async () => {
    const outs = (await callCreate(createRequest(await checked(bearer)))).getProperties() as Struct;
    const request = new provider.DeleteRequest();
    request.setId("bot/cdn");
    request.setUrn(URN);
    request.setProperties(outs);
    await callDelete(request);
    expect(emulator.providers("bot")).toEqual([]);
  });
});

describe("import by id", () => {
  it("reads full outputs and inputs with the id alone; Check of them passes and Diff with the program shows no change", async () => {
    emulator.setProvider("bot", {
      name: "byhand",
      type: "www",
      config: { basic: { username: "u", password: "pw-9" } },
    });
    const response = await callRead(readRequest("bot/byhand"));
    expect(response.getId()).toBe("bot/byhand");
    const imported = {
      botId: "bot",
      name: "byhand",
      type: "www",
      config: wrapped({ basic: { username: "u", password: "pw-9" } }),
    };
    expect(response.getInputs()?.toJavaScript()).toEqual(imported);
    expect(response.getProperties()?.toJavaScript()).toEqual({
      ...imported,
      authType: "basic",
      username: "u",
    });
    // The engine's ImportStep: Check with olds and news both the returned inputs.
    const inputs = response.getInputs() as Struct;
    const checkedImport = await callCheck(checkRequest(fromStruct(inputs).props, fromStruct(inputs).props));
    expect(checkedImport.getFailuresList()).toEqual([]);
    // Then the program's own inputs against the imported state.
    const program = await checked({
      name: "byhand",
      config: { basic: { username: "u", password: wrapped("pw-9") } },
    });
    const changes = await callDiff(diffRequest(response.getProperties() as Struct, program));
    expect(changes.getChanges()).toBe(DiffChanges.DIFF_NONE);
  });

  it("fails with NOT_FOUND's code when the bot does not hold the provider", async () => {
    await expect(callRead(readRequest("bot/absent"))).rejects.toMatchObject({
      code: "ERR_WHATSAPP_NOT_FOUND",
    });
  });
});

describe("Invoke", () => {
  const invokeRequest = (tok: string, args: Record<string, unknown> = {}) =>
    new provider.InvokeRequest().setTok(tok).setArgs(toStruct(args));

  it("lists the bot's providers, each one's credentials a secret", async () => {
    emulator.setProvider("bot", { name: "a", type: "www", config: { bearer: "t-1" } });
    emulator.setProvider("bot", {
      name: "b",
      type: "www",
      config: { basic: { username: "u", password: "p-1" } },
    });
    const response = await invoke.handle(invokeRequest("whatsapp:index:getMediaProviders"));
    expect(response.getFailuresList()).toEqual([]);
    expect(response.getReturn()?.toJavaScript()).toEqual({
      botId: "bot",
      providers: [
        { name: "a", type: "www", config: wrapped({ bearer: "t-1" }), authType: "bearer" },
        {
          name: "b",
          type: "www",
          config: wrapped({ basic: { username: "u", password: "p-1" } }),
          authType: "basic",
          username: "u",
        },
      ],
    });
  });

  it("takes the bot and token from its arguments, secrets unwrapped", async () => {
    const args = { botId: "bot", apiToken: wrapped(TOKEN), baseUrl: emulator.url };
    await configureSettings({ get: () => undefined });
    const response = await invoke.handle(invokeRequest("whatsapp:index:getMediaProviders", args));
    expect(response.getReturn()?.toJavaScript()).toEqual({ botId: "bot", providers: [] });
  });

  it("refuses a function it does not have", async () => {
    await expect(invoke.handle(invokeRequest("whatsapp:index:other"))).rejects.toThrow(
      "unknown function whatsapp:index:other",
    );
  });
});

describe("the gRPC server", () => {
  it("answers a wrong token with UNAUTHENTICATED, the error code and no secret in the message", async () => {
    await configureForEmulator({ apiToken: wrapped("wrong-token-value") });
    const server = await startPluginServer();
    const client = new service.ResourceProviderClient(
      `127.0.0.1:${server.port}`,
      credentials.createInsecure(),
    );
    try {
      const properties = toStruct({
        botId: "bot",
        name: "cdn",
        type: "www",
        config: wrapped({ bearer: "b-secret-9" }),
      });
      const error = await new Promise<ServiceError | null>((resolve) =>
        client.create(createRequest(properties), (e) => resolve(e)),
      );
      expect(error?.code).toBe(status.UNAUTHENTICATED);
      expect(error?.details).toMatch(/^ERR_WHATSAPP_UNAUTHORIZED: GET \S+ answered 401/);
      expect(error?.details).not.toContain("wrong-token-value");
      expect(error?.details).not.toContain("b-secret-9");
    } finally {
      client.close();
      server.stop();
    }
  });

  it("answers GetPluginInfo once its methods have loaded after the port, and UNIMPLEMENTED for a method it leaves out", async () => {
    const server = await startPluginServer();
    const client = new service.ResourceProviderClient(
      `127.0.0.1:${server.port}`,
      credentials.createInsecure(),
    );
    try {
      const version = await new Promise<string>((resolve, reject) =>
        client.getPluginInfo(new Empty(), (e, info) => (e ? reject(e) : resolve(info.getVersion()))),
      );
      expect(version).toBe(PACKAGE_VERSION);
      const error = await new Promise<ServiceError | null>((resolve) =>
        client.handshake(new provider.ProviderHandshakeRequest(), (e) => resolve(e)),
      );
      expect(error?.code).toBe(status.UNIMPLEMENTED);
      expect(error?.details).toContain("/pulumirpc.ResourceProvider/Handshake");
    } finally {
      client.close();
      server.stop();
    }
  });
});
