/**
 * The provider plugin (issue 18) driven as the Pulumi engine drives it, without the CLI: the packed
 * package installed into a fresh program folder, its plugin folder started as the Node language host
 * starts it (driver/plugin-host.ts), and `pulumirpc.ResourceProvider` called over gRPC in the engine's
 * order (driver/provider-calls.ts) against the emulator. Each `pulumi` command starts its plugins
 * anew, so each run here (`engineRun`) is a fresh plugin process, loaded as the engine loads the
 * default provider (Handshake, GetPluginInfo, CheckConfig, DiffConfig once the provider is in the
 * state, Configure), then the run's calls on that one process. Every process's answers, errors,
 * stderr and logs are scanned at the end.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator";
import { leaksIn } from "../support/secret-leaks";
import {
  installPackage,
  isSecret,
  type LiveResource,
  makeSecret,
  PluginHost,
  type PropertyMap,
  ProviderCalls,
  plainStrings,
  UNKNOWN,
  unwrapSecrets,
} from "./driver";

const BOT = "bot";
const TOKEN = "api-Token-5e1c7a90d4";
const WRONG_TOKEN = "wrong-Token-0b9f3e27c1";
const PASSWORD = "pw-First-3f9a1c77";
const NEW_PASSWORD = "pw-Second-8d2e40b1";
const DRIFTED_PASSWORD = 'pw-Drifted/61c0 "aa5e" ü'; // escaped in JSON and URLs: the scan looks for that too
const BEARER = "bearer-Hand-2c7d9e13";
const OTHER_BEARER = "bearer-Other-7a41c0d9";
/** Every secret the sequence handles: none may show anywhere outside a secret wrapper. */
const SECRETS = [TOKEN, WRONG_TOKEN, PASSWORD, NEW_PASSWORD, DRIFTED_PASSWORD, BEARER, OTHER_BEARER];

const PKG = "whatsapp";
const TYPE = "whatsapp:index:MediaProvider";
const FUNCTION = "whatsapp:index:getMediaProviders";
const UNAUTHENTICATED = 16;

const SCOPE = { project: "media", stack: "dev", pkg: PKG };

let emulator: Emulator;
let programDir: string;
let installed: string;
let version: string;
/** Every plugin process started, for the scan at the end. */
const plugins: PluginHost[] = [];
let calls: ProviderCalls;

/** The stack config of the package as the engine holds it (decrypted), keys without the namespace. */
const providerConfig = () => ({ botId: BOT, baseUrl: emulator.url, apiToken: TOKEN, maxRetries: "0" });
const writes = () => (emulator.counters().byMethod.POST ?? 0) + (emulator.counters().byMethod.DELETE ?? 0);
const basic = (password: string, username = "svc") => ({ basic: { username, password } });
const names = () => emulator.providers(BOT).map((p) => p.name);

beforeAll(async () => {
  emulator = await startEmulator({ bots: { [BOT]: TOKEN } });
  programDir = (await installPackage()).dir;
  installed = path.join(programDir, "node_modules", "pulumi-sinch-whatsapp");
  version = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")).version;
});
afterEach(() => plugins.at(-1)?.stop());
afterAll(() => emulator?.close());

/** The plugin started anew, as a `pulumi` command starts it (the previous one ended). */
async function startPlugin(): Promise<ProviderCalls> {
  await plugins.at(-1)?.stop();
  const config = Object.fromEntries(Object.entries(providerConfig()).map(([k, v]) => [`${PKG}:${k}`, v]));
  const plugin = await PluginHost.start({
    pluginDir: path.join(installed, "plugin"),
    programDir,
    project: SCOPE.project,
    pkg: PKG,
    config,
  });
  plugins.push(plugin);
  console.log(`[e2e] plugin started in ${plugin.host.startMs} ms`);
  calls = new ProviderCalls(plugin, SCOPE);
  return calls;
}

/**
 * A `pulumi up` (or refresh, import, preview, destroy): the plugin started and loaded for the
 * default provider as the engine loads it, DiffConfig only once the provider is in the state.
 */
async function engineRun(providerInState = true): Promise<void> {
  await startPlugin();
  await calls.handshake();
  expect(await calls.pluginInfo()).toBe(version);
  expect((await calls.checkConfig(providerConfig())).failures).toEqual([]);
  if (providerInState) {
    expect((await calls.diffConfig(providerConfig(), providerConfig())).changes).toBe("none");
  }
  expect(await calls.configure(providerConfig(), ["apiToken"])).toEqual({
    acceptSecrets: true,
    supportsPreview: true,
  });
}

/** The engine's Check of a resource's inputs; fails the test on check failures. */
async function checked(name: string, news: PropertyMap, olds: PropertyMap = {}, seed?: Uint8Array) {
  const { inputs, failures } = await calls.check(TYPE, name, news, olds, seed);
  expect(failures).toEqual([]);
  return inputs;
}

/** `pulumi up` of a new resource: Check with no olds, then Create. */
async function deploy(name: string, args: PropertyMap): Promise<LiveResource> {
  const seed = ProviderCalls.seed();
  const inputs = await checked(name, args, {}, seed);
  const { id, outputs } = await calls.create(TYPE, name, inputs);
  return { type: TYPE, name, id, inputs, outputs, seed };
}

describe("the plugin as the engine loads it", () => {
  it("`pulumi package add`: starts as the Node language host starts it, answers GetPluginInfo and GetSchema; CheckConfig names a bad config value", async () => {
    await startPlugin();
    const plugin = calls.plugin;
    expect(plugin.runPath).toBe(path.join(programDir, "node_modules/@pulumi/pulumi/cmd/run-plugin/index.js"));
    expect(readFileSync(path.join(plugin.launch.pluginDir, "PulumiPlugin.yaml"), "utf8")).toMatch(
      /^runtime: nodejs$/m,
    );
    expect(plugin.host.stdout).toBe(`${plugin.port}\n`);
    expect(["answered", "unimplemented", "not in this SDK"]).toContain(await calls.handshake());
    expect(await calls.pluginInfo()).toBe(version);
    const schema = (await calls.schema()) as {
      name: string;
      resources: Record<string, unknown>;
      functions: Record<string, unknown>;
      config: { variables: Record<string, { secret?: boolean }> };
    };
    expect(schema.name).toBe(PKG);
    expect(Object.keys(schema.resources)).toEqual([TYPE]);
    expect(Object.keys(schema.functions)).toEqual([FUNCTION]);
    expect(Object.keys(schema.config.variables)).toEqual(
      expect.arrayContaining(Object.keys(providerConfig())),
    );
    expect(schema.config.variables.apiToken?.secret).toBe(true);
    // What the next `pulumi up` would hear first of a stack config value it cannot use.
    const bad = await calls.checkConfig({ ...providerConfig(), maxRetries: "many" });
    expect(bad.failures.map((f) => f.property)).toEqual(["maxRetries"]);
  });
});

describe("MediaProviders through up, a second up, update, rename, refresh, import, preview and destroy", () => {
  let bucket: LiveResource;
  let spare: LiveResource;
  let gone: LiveResource;
  let hand: LiveResource | undefined;
  const declared = (password: string, name = "media_bucket") => ({
    name,
    config: makeSecret(basic(password)),
  });
  const spareArgs = { name: "spare", config: makeSecret({ bearer: OTHER_BEARER }) };
  const goneArgs = { name: "gone", config: makeSecret({ bearer: OTHER_BEARER }) };

  it("`pulumi up` creates: Check then Create, credentials secret in every answer", async () => {
    await engineRun(false);
    bucket = await deploy("bucket", declared(PASSWORD));
    spare = await deploy("spare", spareArgs);
    gone = await deploy("gone", goneArgs);
    expect([bucket.id, spare.id, gone.id]).toEqual([`${BOT}/media_bucket`, `${BOT}/spare`, `${BOT}/gone`]);
    expect(isSecret(bucket.inputs.config) && isSecret(bucket.outputs.config)).toBe(true);
    expect(unwrapSecrets(bucket.outputs)).toMatchObject({
      botId: BOT,
      name: "media_bucket",
      authType: "basic",
      username: "svc",
      config: basic(PASSWORD),
    });
    expect(emulator.providers(BOT)).toEqual([
      { name: "media_bucket", type: "www", config: basic(PASSWORD) },
      { name: "spare", type: "www", config: { bearer: OTHER_BEARER } },
      { name: "gone", type: "www", config: { bearer: OTHER_BEARER } },
    ]);
    // A resource without a name: the auto-name comes from the engine's seed, same seed same name.
    const seed = ProviderCalls.seed();
    const autoNamed = async (s: Uint8Array) =>
      (await checked("cdn", { config: spareArgs.config }, {}, s)).name;
    const name = await autoNamed(seed);
    expect(name).toMatch(/^cdn-[a-z]+$/);
    expect(await autoNamed(seed)).toBe(name);
    expect(await autoNamed(ProviderCalls.seed())).not.toBe(name);
  });

  it("a second `pulumi up` with nothing changed: DiffConfig and Diff say no change, nothing is written; the program's getMediaProviders (Invoke) lists the bot's providers, credentials secret", async () => {
    await engineRun();
    const before = writes();
    for (const [resource, args] of [
      [bucket, declared(PASSWORD)],
      [spare, spareArgs],
      [gone, goneArgs],
    ] as const) {
      const inputs = await checked(resource.name, args, resource.inputs, resource.seed);
      expect(inputs).toEqual(resource.inputs);
      expect((await calls.diff(resource, inputs)).changes).toBe("none");
    }
    const { result, failures } = await calls.invoke(FUNCTION, { botId: BOT });
    expect(failures).toEqual([]);
    const providers = result.providers as PropertyMap[];
    expect(providers.map((p) => p.name)).toEqual(names());
    for (const p of providers) expect(isSecret(p.config), String(p.name)).toBe(true);
    expect(unwrapSecrets(providers)).toEqual([
      { name: "media_bucket", type: "www", authType: "basic", username: "svc", config: basic(PASSWORD) },
      { name: "spare", type: "www", authType: "bearer", config: { bearer: OTHER_BEARER } },
      { name: "gone", type: "www", authType: "bearer", config: { bearer: OTHER_BEARER } },
    ]);
    expect(writes()).toBe(before);
  });

  it("`pulumi up` updates a changed password, sent unwrapped: it comes back wrapped", async () => {
    await engineRun();
    const news = { name: "media_bucket", config: basic(NEW_PASSWORD) };
    const inputs = await checked("bucket", news, bucket.inputs, bucket.seed);
    expect(isSecret(inputs.config)).toBe(true);
    const diff = await calls.diff(bucket, inputs);
    expect(diff).toMatchObject({
      changes: "some",
      replaces: [],
      diffs: ["config"],
      detailed: { config: "UPDATE" },
    });
    const outputs = await calls.update(bucket, inputs);
    expect(isSecret(outputs.config)).toBe(true);
    expect(unwrapSecrets(outputs.config)).toEqual(basic(NEW_PASSWORD));
    expect(emulator.providers(BOT)).toContainEqual({
      name: "media_bucket",
      type: "www",
      config: basic(NEW_PASSWORD),
    });
    bucket = { ...bucket, inputs, outputs };
  });

  it("`pulumi up` of a rename: Diff replaces on name; Check with no olds, Create the new, Delete the old", async () => {
    await engineRun();
    const news = declared(NEW_PASSWORD, "media_bucket_renamed");
    const inputs = await checked("bucket", news, bucket.inputs, bucket.seed);
    const diff = await calls.diff(bucket, inputs);
    expect(diff).toMatchObject({ changes: "some", replaces: ["name"], deleteBeforeReplace: false });
    expect(diff.detailed).toEqual({ name: "UPDATE_REPLACE" });
    const replacementInputs = await checked("bucket", news, {}, bucket.seed);
    const created = await calls.create(TYPE, "bucket", replacementInputs);
    expect(created.id).toBe(`${BOT}/media_bucket_renamed`);
    await calls.delete(bucket);
    expect(names()).toEqual(["spare", "gone", "media_bucket_renamed"]);
    bucket = { ...bucket, id: created.id, inputs: replacementInputs, outputs: created.outputs };
  });

  it("`pulumi up --refresh` after drift and an out-of-band delete: Read (id, state, inputs) answers the live config or an empty id; then Diff shows the drift", async () => {
    emulator.setProvider(BOT, {
      name: "media_bucket_renamed",
      type: "www",
      config: basic(DRIFTED_PASSWORD, "rotated"),
    });
    emulator.removeProvider(BOT, "gone");
    await engineRun();
    const read = await calls.read(TYPE, "bucket", bucket.id, bucket);
    expect(read.id).toBe(bucket.id);
    expect(isSecret(read.outputs.config)).toBe(true);
    expect(unwrapSecrets(read.outputs)).toMatchObject({
      username: "rotated",
      config: basic(DRIFTED_PASSWORD, "rotated"),
    });
    expect(read.inputs).toBeDefined();
    expect((await calls.read(TYPE, "gone", gone.id, gone)).id).toBe("");
    const refreshed = { ...bucket, outputs: read.outputs, inputs: read.inputs ?? bucket.inputs };
    const program = declared(NEW_PASSWORD, "media_bucket_renamed");
    const diff = await calls.diff(refreshed, await checked("bucket", program, refreshed.inputs, bucket.seed));
    expect(diff).toMatchObject({ changes: "some", replaces: [], diffs: ["config"] });
  });

  it("`pulumi import` of a provider made by hand: Read with only the id, then Check of what it returned", async () => {
    emulator.setProvider(BOT, { name: "made_by_hand", type: "www", config: { bearer: BEARER } });
    await engineRun();
    const id = `${BOT}/made_by_hand`;
    const read = await calls.read(TYPE, "hand", id);
    expect(read.id).toBe(id);
    expect(read.inputs).toBeDefined(); // else the engine fails: "provider does not support importing resources"
    const inputs = read.inputs ?? {};
    expect(unwrapSecrets(read.outputs)).toMatchObject({
      botId: BOT,
      name: "made_by_hand",
      config: { bearer: BEARER },
    });
    expect(unwrapSecrets(inputs)).toMatchObject({ name: "made_by_hand", config: { bearer: BEARER } });
    expect(isSecret(read.outputs.config) && isSecret(inputs.config)).toBe(true);
    const seed = ProviderCalls.seed();
    expect((await calls.check(TYPE, "hand", inputs, inputs, seed)).failures).toEqual([]);
    hand = { type: TYPE, name: "hand", id, inputs, outputs: read.outputs, seed };
  });

  it("`pulumi preview` with unknown values: Check, Diff, Create and Update (preview) fail nothing and send no request; the program the import printed shows no change", async () => {
    await engineRun();
    const before = emulator.counters().requests;
    // a new resource whose credentials come from another resource's output, not known yet
    const created = await calls.create(TYPE, "cdn", await checked("cdn", { config: UNKNOWN }), true);
    expect(created.outputs.authType).toBe(UNKNOWN);
    // a change to an existing one whose new token is not known yet
    const inputs = await checked(
      "spare",
      { name: "spare", config: makeSecret({ bearer: UNKNOWN }) },
      spare.inputs,
      spare.seed,
    );
    const diff = await calls.diff(spare, inputs);
    expect(diff.replaces).toEqual([]);
    expect(diff.changes).not.toBe("none");
    const outputs = await calls.update(spare, inputs, true);
    expect(unwrapSecrets(outputs.config)).toEqual({ bearer: UNKNOWN });
    expect(emulator.counters().requests).toBe(before);
    expect(emulator.providers(BOT)).toContainEqual({
      name: "spare",
      type: "www",
      config: { bearer: OTHER_BEARER },
    });
    // The program the import printed: Check and Diff of what it declares against the imported state.
    if (!hand) throw new Error("the import above failed: no imported state to compare with");
    const program = { name: "made_by_hand", config: makeSecret({ bearer: BEARER }) };
    const declaredInputs = await checked("hand", program, hand.inputs, hand.seed);
    expect((await calls.diff(hand, declaredInputs)).changes).toBe("none");
    expect(emulator.counters().requests).toBe(before);
  });

  it("`pulumi up` with a wrong token: UNAUTHENTICATED, a message that names the problem and holds no token, nothing written", async () => {
    await engineRun();
    const before = writes();
    const inputs = await checked("intruder", {
      name: "intruder",
      apiToken: makeSecret(WRONG_TOKEN),
      config: makeSecret({ bearer: OTHER_BEARER }),
    });
    const errors = {
      create: await calls.create(TYPE, "intruder", inputs).catch((e: unknown) => e),
      invoke: await calls
        .invoke(FUNCTION, { botId: BOT, apiToken: makeSecret(WRONG_TOKEN) })
        .catch((e: unknown) => e),
    } as Record<string, { code?: number; details?: string }>;
    for (const [call, error] of Object.entries(errors)) {
      expect(error.code, `${call}: ${error.details}`).toBe(UNAUTHENTICATED);
      expect(error.details).toMatch(/^ERR_WHATSAPP_UNAUTHORIZED: .*401.*whatsapp:apiToken/s);
      for (const secret of SECRETS) expect(error.details).not.toContain(secret);
    }
    expect(writes()).toBe(before);
  });

  it("`pulumi destroy` deletes each; Cancel (an interrupted run) is answered", async () => {
    await engineRun();
    // Every resource in the state: `gone` left it at the refresh, the replaced bucket at the rename.
    if (!hand) throw new Error("the import above failed: the provider made by hand is not in the state");
    for (const resource of [bucket, spare, hand]) await calls.delete(resource);
    expect(names()).toEqual([]);
    await expect(calls.cancel()).resolves.toBeUndefined();
  });
});

describe("across every plugin process", () => {
  it("no secret outside a secret wrapper (answers, errors, logs, stderr), nothing on stdout but the port", () => {
    const leaks = plugins
      .flatMap((plugin) => [
        ...plugin.exchanges.flatMap(({ method, response, error }) =>
          [...plainStrings(response ?? {}), error?.details ?? ""].map((text) => `${method}: ${text}`),
        ),
        `stderr: ${plugin.stderr}`,
        ...plugin.engine.logs.map((log) => `log: ${log.message}`),
      ])
      .flatMap((text) => leaksIn(text, SECRETS));
    expect(leaks).toEqual([]);
    // The scan saw those secrets, wrapped: it is not looking at nothing.
    const answers = JSON.stringify(plugins.flatMap((plugin) => plugin.exchanges.map((e) => e.response)));
    for (const secret of [PASSWORD, NEW_PASSWORD, DRIFTED_PASSWORD, OTHER_BEARER])
      expect(leaksIn(answers, [secret])).not.toEqual([]);
    for (const plugin of plugins) expect(plugin.host.stdout).toBe(`${plugin.port}\n`);
  });
});
