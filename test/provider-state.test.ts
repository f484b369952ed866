import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderExistsError, WhatsAppError } from "../src/errors";
import { check } from "../src/provider/check";
import { configureSettings } from "../src/provider/context";
import { create } from "../src/provider/create";
import { deleteProvider } from "../src/provider/delete";
import type { CheckedInputs } from "../src/provider/inputs";
import { read } from "../src/provider/read";
import { update } from "../src/provider/update";
import type { MediaProviderEntry } from "../src/types/media-provider";
import { startRawServer } from "./support/raw-server";

const ours: MediaProviderEntry = { name: "cdn", type: "www", config: { bearer: "ours-token" } };
const other: MediaProviderEntry = { name: "cdn", type: "www", config: { bearer: "other-token" } };

function listBody(providers: MediaProviderEntry[]): string {
  return JSON.stringify({ settings: { application: { media: { providers } } } });
}

/**
 * A raw API whose list is `providers`: a POST replaces the first copy of its name (as an upsert
 * may), a DELETE removes every copy.
 */
async function api(providers: MediaProviderEntry[]) {
  const raw = await startRawServer((req, res) => {
    if (req.method === "POST") {
      const written = JSON.parse(req.body) as MediaProviderEntry;
      const at = providers.findIndex((p) => p.name === written.name);
      providers.splice(at === -1 ? providers.length : at, at === -1 ? 0 : 1, written);
      return res.end();
    }
    if (req.method === "DELETE") {
      const name = decodeURIComponent(req.url.slice(req.url.lastIndexOf("/") + 1));
      providers.splice(0, providers.length, ...providers.filter((p) => p.name !== name));
    }
    res.end(req.method === "GET" ? listBody(providers) : undefined);
  });
  return { ...raw, providers };
}

beforeAll(() => configureSettings({ get: () => undefined }));
afterAll(() => configureSettings({ get: () => undefined }));

describe("stored state is validated before any request", () => {
  const hostile: [string, Record<string, unknown>][] = [
    ["a missing name", { name: undefined }],
    ["an empty name", { name: "" }],
    ["a name of spaces", { name: "   " }],
    ["a name '.'", { name: "." }],
    ["a name '..'", { name: ".." }],
    ["a name '/'", { name: "/" }],
    ["a name '%2F'", { name: "%2F" }],
    ["a name with a tab", { name: "\t" }],
    ["a name that is not a string", { name: 42 }],
    ["a missing bot id", { botId: undefined }],
    ["a config with both kinds", { config: { bearer: "x", basic: { username: "u", password: "p" } } }],
  ];

  it.each(hostile)("refuses %s in refresh, update and delete, and sends nothing", async (_what, change) => {
    const raw = await api([]);
    const state = {
      botId: "bot",
      baseUrl: raw.url,
      apiToken: "api-token",
      name: "cdn",
      type: "www",
      config: { bearer: "b" },
      authType: "bearer",
      ...change,
    };
    for (const operation of [
      () => read("bot/cdn", state),
      () => update("bot/cdn", state, state as unknown as CheckedInputs),
      () => deleteProvider("bot/cdn", state),
    ]) {
      const error = await operation().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WhatsAppError);
      expect((error as WhatsAppError).code).toBe("ERR_WHATSAPP_INVALID_STATE");
      expect((error as Error).message).toMatch(
        /MediaProvider "bot\/cdn" cannot be used to (refresh|update|delete) it/,
      );
      expect((error as Error).message).toContain("pulumi state delete");
    }
    expect(raw.seen).toHaveLength(0);
    await raw.close();
  });

  it("acts on a valid state, legacy names included", async () => {
    const legacy = { ...ours, name: "old name 1" };
    const raw = await api([legacy]);
    const state = { botId: "bot", baseUrl: raw.url, apiToken: "api-token", ...legacy, authType: "bearer" };
    expect((await read("bot/old name 1", state)).id).toBe("bot/old name 1");
    await deleteProvider("bot/old name 1", state);
    expect(raw.seen.map((r) => `${r.method} ${r.url}`)).toContain(
      "DELETE /whatsapp/v1/bot/provision/provider/old%20name%201",
    );
    await raw.close();
  });
});

describe("check refuses a legacy name that could not be deleted safely", () => {
  const inputs = { botId: "bot", region: "eu1", apiToken: "t", config: { bearer: "b" }, adoptExisting: true };

  it.each(["..", ".", "/", "a/b", "%2F", "\t", "name ", "   "])("refuses to adopt %j", async (name) => {
    const { failures } = await check({}, { ...inputs, name });
    expect(failures).toContainEqual({
      property: "name",
      reason: expect.stringContaining("Remove that provider by hand"),
    });
  });

  it("adopts a legacy name that can be deleted safely", async () => {
    expect((await check({}, { ...inputs, name: "old name.1" })).failures).toBeUndefined();
  });
});

describe("create when the list holds the name twice", () => {
  function inputs(url: string, adoptExisting?: boolean): CheckedInputs {
    return {
      botId: "bot",
      baseUrl: url,
      apiToken: "api-token",
      name: "cdn",
      type: "www",
      config: ours.config,
      ...(adoptExisting === undefined ? {} : { adoptExisting }),
    };
  }

  it("with [other content, ours] refuses without adoptExisting, and writes nothing", async () => {
    const raw = await api([other, ours]);
    await expect(create(inputs(raw.url))).rejects.toBeInstanceOf(ProviderExistsError);
    expect(raw.seen.filter((r) => r.method === "POST")).toHaveLength(0);
    await raw.close();
  });

  it("with [other content, ours] and adoptExisting writes until every copy is ours", async () => {
    const raw = await api([other, ours]);
    await create(inputs(raw.url, true));
    expect(raw.providers).toEqual([ours, ours]);
    expect(raw.seen.filter((r) => r.method === "POST")).toHaveLength(1);
    await raw.close();
  });

  it("with [ours, ours] takes it over without writing", async () => {
    const raw = await api([ours, { ...ours }]);
    await create(inputs(raw.url));
    expect(raw.seen.filter((r) => r.method === "POST")).toHaveLength(0);
    await raw.close();
  });
});
