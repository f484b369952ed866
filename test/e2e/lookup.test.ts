/**
 * Reading existing providers from a program, through the program runner and the SDK's dynamic-provider
 * host: `MediaProvider.get` (the engine's read step) and `getMediaProviders` / `getMediaProvidersOutput`.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MediaProviderClient } from "../../src/client";
import { type Emulator, startEmulator } from "../../src/emulator";
import { isSecret, Stack, type Summary, secretPaths, unwrapSecrets } from "./driver";
import { installedProgram, projectOf } from "./support";

const TOKEN = "lookup-Token-5b1e0f7a";
const PASSWORD = "lookup-Pass-83c1d9e2";
const BEARER = "lookup-Bearer-2f6a4c8d";

// The program a user writes to read what exists: one provider by id, and the bot's whole list.
const PROGRAM = `
const { MediaProvider, getMediaProviders, getMediaProvidersOutput } = require("pulumi-sinch-whatsapp");
const existing = MediaProvider.get("existing", process.env.LOOKUP_ID);
exports.existing = {
  id: existing.id, botId: existing.botId, name: existing.name, authType: existing.authType,
  username: existing.username, config: existing.config,
};
exports.listed = getMediaProvidersOutput();
exports.names = getMediaProviders().then((r) => r.providers.map((p) => p.name));
`;

let emulator: Emulator;
let client: MediaProviderClient;
let stack: Stack;
let file: string;

beforeAll(async () => {
  emulator = await startEmulator({ bots: { bot: TOKEN } });
  client = new MediaProviderClient({ botId: "bot", apiToken: TOKEN, baseUrl: emulator.url });
  await client.upsert({
    name: "by_hand",
    type: "www",
    config: { basic: { username: "svc", password: PASSWORD } },
  });
  await client.upsert({ name: "cdn", type: "www", config: { bearer: BEARER } });
  const { program } = await installedProgram();
  file = path.join(program.dir, "lookup.js");
  writeFileSync(file, PROGRAM);
  stack = new Stack({
    project: projectOf(program.dir, file, "lookup"),
    config: { "whatsapp:botId": "bot", "whatsapp:baseUrl": emulator.url, "whatsapp:apiToken": TOKEN },
    secretKeys: ["whatsapp:apiToken"],
  });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});

const ok = (s: Summary) => expect(s.failed, JSON.stringify(s.failed)).toEqual([]);
const run = (id: string) => ({ env: { LOOKUP_ID: id } });
const writes = () => (emulator.counters().byMethod.POST ?? 0) + (emulator.counters().byMethod.DELETE ?? 0);

describe("reading existing providers from a program", () => {
  it("gets a provider by id, lists the bot's, keeps credentials secret, and never writes", async () => {
    emulator.resetCounters();
    const s = await stack.up(run("bot/by_hand"));
    ok(s);
    const urn = "urn:pulumi:dev::lookup::pulumi-nodejs:dynamic/whatsapp:MediaProvider::existing";
    expect(s.read).toEqual([urn]);
    expect(stack.calls.Read).toBe(1);
    const existing = unwrapSecrets(stack.outputs.existing) as Record<string, unknown>;
    expect(existing).toEqual({
      id: "bot/by_hand",
      botId: "bot",
      name: "by_hand",
      authType: "basic",
      username: "svc",
      config: { basic: { username: "svc", password: PASSWORD } },
    });
    expect(secretPaths(stack.outputs.existing)).toEqual(["config"]);
    const listed = stack.outputs.listed as Record<string, unknown>;
    expect(unwrapSecrets(listed)).toMatchObject({
      botId: "bot",
      providers: [
        {
          name: "by_hand",
          authType: "basic",
          username: "svc",
          config: { basic: { username: "svc", password: PASSWORD } },
        },
        { name: "cdn", authType: "bearer", config: { bearer: BEARER } },
      ],
    });
    expect(secretPaths(listed).sort()).toEqual(["providers[0].config", "providers[1].config"]);
    expect(stack.outputs.names).toEqual(["by_hand", "cdn"]);
    const state = stack.resource(urn);
    expect(state?.external).toBe(true);
    expect(isSecret(state?.outputs.config)).toBe(true);
    const exported = stack.stateJson();
    for (const secret of [TOKEN, PASSWORD, BEARER]) expect(exported).not.toContain(secret);
    expect(writes()).toBe(0);
  });

  it("refreshes what it read, and destroy leaves the provider on the bot", async () => {
    await client.upsert({ name: "by_hand", type: "www", config: { bearer: BEARER } });
    const refreshed = await stack.refresh();
    ok(refreshed);
    expect(stack.resource("existing")?.outputs.authType).toBe("bearer");
    emulator.resetCounters();
    const destroyed = await stack.destroy();
    ok(destroyed);
    expect(stack.resources()).toEqual([]);
    expect(writes()).toBe(0);
    expect(emulator.providers("bot").map((p) => p.name)).toContain("by_hand");
  });

  it("fails the program with a clear error for an id the bot does not hold or a malformed one", async () => {
    for (const [id, expected] of [
      ["bot/absent", 'holds no media provider named "absent"'],
      ["absent", 'use "<botId>/<name>"'],
    ] as const) {
      const s = await stack.up(run(id));
      expect(s.failed.map((f) => f.message).join("\n")).toContain(expected);
      expect(stack.logs.program).not.toContain(TOKEN);
    }
  });
});
