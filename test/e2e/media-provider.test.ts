/**
 * MediaProvider through its whole lifecycle, as the engine drives it: the packed package, the
 * program run under mocks, the SDK's dynamic-provider host over gRPC, HTTP to the emulator.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator";
import { leaksIn } from "../support/secret-leaks";
import { isSecret, plainStrings, type Summary, secretPaths, UNKNOWN, unwrapSecrets } from "./driver";
import { newStack, type ProviderSpec, urnOf } from "./support";

const TOKEN = "api-Token-7d1f0c2e9b";
// Characters that JSON and URLs escape, so that the scans look for escaped forms too.
const PASSWORD = 'pw-Secret/4a8e "71c3" ü';
const BEARER = "bearer-Secret-9c2d55aa";
const SECRETS = [TOKEN, PASSWORD, BEARER];

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ bots: { bot: TOKEN } });
});
afterAll(() => emulator.close());

/** What the runs answered, for the scans (the registrations are the program's own inputs). */
const answers: Summary[] = [];
const ok = (s: Summary) => {
  answers.push({ ...s, registrations: [] });
  expect(s.failed, JSON.stringify(s.failed)).toEqual([]);
};
const writes = () => (emulator.counters().byMethod.POST ?? 0) + (emulator.counters().byMethod.DELETE ?? 0);
const config = (extra: Record<string, string> = {}) => ({
  config: { "whatsapp:botId": "bot", "whatsapp:baseUrl": emulator.url, "whatsapp:apiToken": TOKEN, ...extra },
  secretKeys: ["whatsapp:apiToken"],
});
const basic = (resourceName: string, name: string | undefined, password = PASSWORD): ProviderSpec => ({
  resourceName,
  args: { ...(name ? { name } : {}), config: { basic: { username: "svc", password } } },
});
const bearer = (resourceName: string, extra: Record<string, unknown> = {}, token = BEARER): ProviderSpec => ({
  resourceName,
  args: { config: { bearer: token }, ...extra },
});
function clearBot() {
  for (const p of emulator.providers("bot")) emulator.removeProvider("bot", p.name);
  emulator.resetCounters();
}
function expectNoSecretIn(text: string) {
  expect(leaksIn(text, SECRETS)).toEqual([]);
}

describe("the serialized provider", () => {
  it("is one require line of at most 512 bytes, with no secret in it", async () => {
    const { stack, run } = await newStack(config());
    const s = await stack.preview(
      await run([
        { ...basic("cdn", "cdn_basic"), args: { ...basic("cdn", "cdn_basic").args, apiToken: TOKEN } },
      ]),
    );
    ok(s);
    const [r] = s.registrations;
    const provider = r?.provider ?? "";
    console.log(`[e2e] __provider: ${Buffer.byteLength(provider)} bytes`);
    expect(provider).toMatch(/^const provider = require\("pulumi-sinch-whatsapp\/provider"\);$/m);
    expect(Buffer.byteLength(provider)).toBeLessThanOrEqual(512);
    expectNoSecretIn(provider);
    expect(secretPaths(r?.inputs).sort()).toEqual(["apiToken", "config"]);
    expect(r?.additionalSecretOutputs).toEqual(["config", "apiToken"]);
  });
});

describe("MediaProvider lifecycle", () => {
  it("creates, reruns without writes, updates, renames, sees drift and deletion, and destroys", async () => {
    clearBot();
    const { stack, run } = await newStack(config());
    let specs = [basic("bucket", "media_bucket"), bearer("cdn")];

    // create
    let s = await stack.up(await run(specs));
    ok(s);
    expect(s.created.sort()).toEqual([urnOf("bucket"), urnOf("cdn")]);
    const cdnName = unwrapSecrets(stack.resource("cdn")?.outputs.name) as string;
    expect(cdnName).toMatch(/^cdn-[a-z]{8}$/);
    expect(emulator.providers("bot")).toEqual(
      expect.arrayContaining([
        { name: "media_bucket", type: "www", config: { basic: { username: "svc", password: PASSWORD } } },
        { name: cdnName, type: "www", config: { bearer: BEARER } },
      ]),
    );
    const bucket = stack.resource("bucket");
    expect(bucket?.id).toBe("bot/media_bucket");
    expect(bucket?.outputs).toMatchObject({
      botId: "bot",
      name: "media_bucket",
      type: "www",
      authType: "basic",
      username: "svc",
    });
    expect(isSecret(bucket?.outputs.config)).toBe(true);
    expect(isSecret(bucket?.inputs.config)).toBe(true);
    expect(bucket?.inputs).not.toHaveProperty("apiToken"); // from config: never stored

    // rerun with no change: no request at all
    emulator.resetCounters();
    s = await stack.up(await run(specs));
    ok(s);
    expect(s.same.sort()).toEqual([urnOf("bucket"), urnOf("cdn")]);
    expect(emulator.counters().requests).toBe(0);
    expect(unwrapSecrets(stack.resource("cdn")?.outputs.name)).toBe(cdnName);

    // update in place
    specs = [basic("bucket", "media_bucket", `${PASSWORD}-v2`), bearer("cdn")];
    emulator.resetCounters();
    s = await stack.up(await run(specs));
    ok(s);
    expect(s.updated).toEqual([urnOf("bucket")]);
    expect(emulator.counters().byMethod.POST).toBe(1);
    expect(emulator.providers("bot").find((p) => p.name === "media_bucket")?.config).toEqual({
      basic: { username: "svc", password: `${PASSWORD}-v2` },
    });

    // rename: a replacement, the new one created before the old one is deleted
    specs = [basic("bucket", "media_store", `${PASSWORD}-v2`), bearer("cdn")];
    s = await stack.up(await run(specs));
    ok(s);
    expect(s.replaced).toEqual([urnOf("bucket")]);
    expect(stack.resource("bucket")?.id).toBe("bot/media_store");
    expect(
      emulator
        .providers("bot")
        .map((p) => p.name)
        .sort(),
    ).toEqual([cdnName, "media_store"].sort());

    // drift: refresh reads the live content, the next up restores the declared one
    emulator.setProvider("bot", {
      name: "media_store",
      type: "www",
      config: { basic: { username: "svc", password: "changed-by-hand" } },
    });
    s = await stack.refresh();
    ok(s);
    expect(unwrapSecrets(stack.resource("bucket")?.outputs.config)).toEqual({
      basic: { username: "svc", password: "changed-by-hand" },
    });
    expect(isSecret(stack.resource("bucket")?.outputs.config)).toBe(true);
    s = await stack.up(await run(specs));
    ok(s);
    expect(s.updated).toEqual([urnOf("bucket")]);
    expect(emulator.providers("bot").find((p) => p.name === "media_store")?.config).toEqual({
      basic: { username: "svc", password: `${PASSWORD}-v2` },
    });

    // deleted by hand: refresh drops it, the next up recreates it under the same name
    emulator.removeProvider("bot", cdnName);
    s = await stack.refresh();
    ok(s);
    expect(s.dropped).toEqual([urnOf("cdn")]);
    s = await stack.up(await run(specs));
    ok(s);
    expect(s.created).toEqual([urnOf("cdn")]);
    expect(emulator.providers("bot").find((p) => p.name === cdnName)?.config).toEqual({ bearer: BEARER });

    // nothing secret in state, in what the provider and the program printed, or in the answers
    expectNoSecretIn(stack.stateJson());
    expectNoSecretIn(stack.logs.stdout + stack.logs.stderr + stack.logs.program);
    expectNoSecretIn(plainStrings(answers).join("\n"));

    // destroy
    s = await stack.destroy();
    ok(s);
    expect(s.deleted.sort()).toEqual([urnOf("bucket"), urnOf("cdn")]);
    expect(emulator.providers("bot")).toEqual([]);
  });

  it("stores tokens given as inputs (plain, or read with requireSecret) as secrets, and uses them", async () => {
    clearBot();
    const { stack, run } = await newStack({
      config: { "whatsapp:botId": "bot", "whatsapp:baseUrl": emulator.url, "app:token": TOKEN },
      secretKeys: ["app:token"],
    });
    const s = await stack.up(
      await run([
        bearer("tok", { apiToken: TOKEN, name: "with_token" }),
        bearer("cfg", { apiToken: "config-secret:token", name: "with_config_token" }, "config-secret:token"),
      ]),
    );
    ok(s);
    for (const r of [stack.resource("tok"), stack.resource("cfg")]) {
      expect(isSecret(r?.inputs.apiToken)).toBe(true);
      expect(isSecret(r?.outputs.apiToken)).toBe(true);
      expect(isSecret(r?.outputs.config)).toBe(true);
    }
    expect(emulator.providers("bot").find((p) => p.name === "with_config_token")?.config).toEqual({
      bearer: TOKEN,
    });
    expectNoSecretIn(stack.stateJson() + stack.logs.stdout + stack.logs.stderr + stack.logs.program);
    ok(await stack.destroy());
    expect(emulator.providers("bot")).toEqual([]);
  });
});

describe("names that already exist", () => {
  it("refuses to overwrite another provider's content without adoptExisting, writing nothing", async () => {
    clearBot();
    emulator.setProvider("bot", { name: "legacy", type: "www", config: { bearer: "made-by-hand" } });
    const { stack, run } = await newStack(config());
    const s = await stack.up(await run([bearer("legacy", { name: "legacy" })]));
    expect(s.failed).toHaveLength(1);
    expect(s.failed[0]?.message).toContain('Bot bot already has a media provider named "legacy"');
    expect(s.failed[0]?.message).toContain("adoptExisting");
    expectNoSecretIn(s.failed[0]?.message ?? "");
    expect(writes()).toBe(0);
    expect(emulator.providers("bot")).toEqual([
      { name: "legacy", type: "www", config: { bearer: "made-by-hand" } },
    ]);
  });

  it("takes it over and overwrites it with adoptExisting", async () => {
    clearBot();
    emulator.setProvider("bot", { name: "legacy", type: "www", config: { bearer: "made-by-hand" } });
    const { stack, run } = await newStack(config());
    ok(await stack.up(await run([bearer("legacy", { name: "legacy", adoptExisting: true })])));
    expect(emulator.providers("bot")).toEqual([{ name: "legacy", type: "www", config: { bearer: BEARER } }]);
    ok(await stack.destroy());
  });

  it("takes over a provider that already holds exactly the declared content without writing", async () => {
    clearBot();
    emulator.setProvider("bot", { name: "same", type: "www", config: { bearer: BEARER } });
    const { stack, run } = await newStack(config());
    ok(await stack.up(await run([bearer("same", { name: "same" })])));
    expect(writes()).toBe(0);
    expect(stack.resource("same")?.id).toBe("bot/same");
  });
});

describe("credentials from stack config", () => {
  it("uses the token from config at each operation, so a rotated token works for refresh and destroy", async () => {
    const statePath = path.join(mkdtempSync(path.join(tmpdir(), "rotation-")), "state.json");
    const first = await startEmulator({ bots: { rbot: "token-one-111" }, statePath });
    const setup = {
      config: {
        "whatsapp:botId": "rbot",
        "whatsapp:baseUrl": first.url,
        "whatsapp:apiToken": "token-one-111",
      },
      secretKeys: ["whatsapp:apiToken"],
    };
    const { stack, run } = await newStack(setup);
    ok(await stack.up(await run([bearer("rotated", { name: "rotated" })])));
    expect(leaksIn(stack.stateJson(), ["token-one-111"])).toEqual([]);
    await first.close();

    // The bot's token was rotated (and the emulator came back on another port).
    const second = await startEmulator({ bots: { rbot: "token-two-222" }, statePath });
    stack.setConfig("whatsapp:baseUrl", second.url);
    let s = await stack.refresh();
    expect(s.failed[0]?.message).toMatch(/answered 401.*region/s);
    expect(leaksIn(s.failed[0]?.message ?? "", ["token-one-111"])).toEqual([]);

    stack.setConfig("whatsapp:apiToken", "token-two-222", true);
    s = await stack.refresh();
    ok(s);
    expect(s.refreshed).toEqual([urnOf("rotated")]);
    ok(await stack.destroy());
    expect(second.providers("rbot")).toEqual([]);
    await second.close();
  });
});

describe("preview and check", () => {
  it("lets values not known yet pass check and diff, without any request", async () => {
    clearBot();
    const { stack, run } = await newStack(config());
    ok(await stack.up(await run([basic("known", "known_one")])));
    emulator.resetCounters();
    // In a preview, the id of a resource still to be created is unknown: a provider that takes
    // its password or its name from it reaches check and diff with the engine's placeholder.
    const s = await stack.preview(
      await run([
        bearer("fresh", { name: "fresh" }),
        {
          resourceName: "known",
          args: {
            name: "known_one",
            config: { basic: { username: "svc", password: "output-of:fresh.id" } },
          },
        },
        bearer("named", { name: "output-of:fresh.id" }),
      ]),
    );
    expect(s.registrations.find((r) => r.name === "named")?.inputs.name).toBe(UNKNOWN);
    ok(s);
    expect(s.planned).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ urn: urnOf("known"), op: "update" }),
        expect.objectContaining({ urn: urnOf("fresh"), op: "create" }),
        expect.objectContaining({ urn: urnOf("named"), op: "create" }),
      ]),
    );
    expect(emulator.counters().requests).toBe(0);
    // What a preview shows of the diff, and what the provider and the program printed, hold no
    // secret (the registrations are the program's own inputs, secrets wrapped).
    expectNoSecretIn(
      JSON.stringify({ ...s, registrations: [] }) +
        stack.logs.stdout +
        stack.logs.stderr +
        stack.logs.program,
    );
  });

  it("fails each invalid resource at check, naming the property and the rule, with no request", async () => {
    clearBot();
    const { stack, run } = await newStack(config());
    const s = await stack.up(
      await run([
        bearer("digits", { name: "cdn2" }),
        bearer("long", { name: "a".repeat(201) }),
        {
          resourceName: "both",
          args: { name: "both", config: { bearer: "b", basic: { username: "u", password: "p" } } },
        },
        { resourceName: "neither", args: { name: "neither", config: {} } },
        bearer("region", { name: "region", region: "ap1" }),
        bearer("type", { name: "type", type: "s3" }),
        {
          resourceName: "empty",
          args: { name: "empty", config: { basic: { username: "u", password: "" } } },
        },
      ]),
    );
    const failures = Object.fromEntries(
      s.failed.map((f) => [
        f.urn.split("::").pop(),
        f.checkFailures?.map((c) => `${c.property}: ${c.reason}`),
      ]),
    );
    expect(failures).toEqual({
      digits: [expect.stringMatching(/^name: name may contain only the letters/)],
      long: [expect.stringMatching(/^name: .*at most 200 characters/)],
      both: [expect.stringMatching(/^config: .*exactly one of basic/)],
      neither: [expect.stringMatching(/^config: .*exactly one of basic/)],
      region: [expect.stringMatching(/^region: .*one of us1, eu1/)],
      type: [expect.stringMatching(/^type: type must be "www"/)],
      empty: [expect.stringMatching(/^config\.basic\.password: .*must not be empty/)],
    });
    expect(emulator.counters().requests).toBe(0);
  });

  it("asks for a bot id and a token when neither the program, the config nor the environment has one", async () => {
    const { stack, run } = await newStack({ config: { "whatsapp:baseUrl": emulator.url } });
    const s = await stack.up(await run([bearer("lost", { name: "lost" })]));
    expect(s.failed[0]?.checkFailures?.map((f) => f.property).sort()).toEqual(["apiToken", "botId"]);
  });
});
