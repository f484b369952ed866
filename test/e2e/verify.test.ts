/**
 * Deploy-time verification of storage credentials, through the SDK's dynamic-provider host:
 * a wrong password fails the create or update before anything reaches the API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, type StorageServer, startEmulator, startStorageServer } from "../../src/emulator";
import type { Summary } from "./driver";
import { newStack, type ProviderSpec } from "./support";

const TOKEN = "verify-Token-5b7e21";
const PASSWORD = "storage-Pass-91d0c3";
const BEARER = "storage-Bearer-2fe8a4";

let emulator: Emulator;
let storage: StorageServer;
let elsewhere: StorageServer;
const files = { "/probe.png": { contentType: "image/png", body: "png" } };

beforeAll(async () => {
  emulator = await startEmulator({ bots: { bot: TOKEN } });
  elsewhere = await startStorageServer({ basic: { username: "svc", password: PASSWORD }, files });
  storage = await startStorageServer({
    basic: { username: "svc", password: PASSWORD },
    bearer: BEARER,
    files,
    redirects: {
      "/moved.png": { location: "/probe.png" },
      "/away.png": { location: `${elsewhere.url}/probe.png` },
    },
  });
});
afterAll(async () => {
  await Promise.all([emulator.close(), storage.close(), elsewhere.close()]);
});

const setup = () => ({
  config: { "whatsapp:botId": "bot", "whatsapp:baseUrl": emulator.url, "whatsapp:apiToken": TOKEN },
  secretKeys: ["whatsapp:apiToken"],
});
const basic = (name: string, password: string, url: string): ProviderSpec => ({
  resourceName: name,
  args: { name, config: { basic: { username: "svc", password } }, verify: { url } },
});
const failure = (s: Summary) => s.failed[0]?.message ?? "";

describe("verify", () => {
  it("passes with the right Basic and Bearer credentials, sending them to the storage", async () => {
    const { stack, run } = await newStack(setup());
    const s = await stack.up(
      await run([
        basic("basic_ok", PASSWORD, `${storage.url}/probe.png?sig=abc`),
        {
          resourceName: "bearer_ok",
          args: {
            name: "bearer_ok",
            config: { bearer: BEARER },
            verify: { url: `${storage.url}/probe.png`, method: "GET" },
          },
        },
        basic("moved_ok", PASSWORD, `${storage.url}/moved.png`),
      ]),
    );
    expect(s.failed).toEqual([]);
    expect(
      emulator
        .providers("bot")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["basic_ok", "bearer_ok", "moved_ok"]);
    const auth = storage
      .requests()
      .map((r) => `${r.method} ${r.url.split("?")[0]} ${r.authorization?.split(" ")[0]} ${r.status}`);
    expect(auth).toEqual(
      expect.arrayContaining([
        "HEAD /probe.png Basic 200",
        "GET /probe.png Bearer 200",
        "HEAD /moved.png Basic 302",
        "HEAD /probe.png Basic 200",
      ]),
    );
    expect((await stack.destroy()).failed).toEqual([]);
  });

  it("fails a wrong password on create with nothing written, and says which provider and URL", async () => {
    emulator.resetCounters();
    const { stack, run } = await newStack(setup());
    const s = await stack.up(
      await run([basic("wrong_pw", "not-the-password", `${storage.url}/probe.png?sig=s3cret-query`)]),
    );
    expect(failure(s)).toMatch(/Media provider "wrong_pw".*401.*\/probe\.png.*nothing was written/s);
    expect(failure(s)).not.toContain("not-the-password");
    expect(failure(s)).not.toContain("s3cret-query");
    expect(emulator.counters().byMethod.POST ?? 0).toBe(0);
    expect(emulator.providers("bot").find((p) => p.name === "wrong_pw")).toBeUndefined();
  });

  it("fails a wrong password on update and leaves the working credentials in place", async () => {
    const { stack, run } = await newStack(setup());
    expect(
      (await stack.up(await run([basic("rotating", PASSWORD, `${storage.url}/probe.png`)]))).failed,
    ).toEqual([]);
    const s = await stack.up(await run([basic("rotating", "typo-in-password", `${storage.url}/probe.png`)]));
    expect(failure(s)).toMatch(/401/);
    expect(emulator.providers("bot").find((p) => p.name === "rotating")?.config).toEqual({
      basic: { username: "svc", password: PASSWORD },
    });
    expect((await stack.destroy()).failed).toEqual([]);
  });

  it("says verification could not be done when the storage is unreachable", async () => {
    const { stack, run } = await newStack(setup());
    const closed = await startStorageServer({ files });
    const url = `${closed.url}/probe.png`;
    await closed.close();
    const s = await stack.up(await run([basic("unreachable", PASSWORD, url)]));
    expect(failure(s)).toMatch(/could not verify.*remove verify to skip/s);
    expect(emulator.providers("bot").find((p) => p.name === "unreachable")).toBeUndefined();
  });

  it("refuses a redirect to another host and sends it no credentials", async () => {
    const { stack, run } = await newStack(setup());
    const s = await stack.up(await run([basic("away", PASSWORD, `${storage.url}/away.png`)]));
    expect(failure(s)).toMatch(/redirect/i);
    expect(elsewhere.requests()).toEqual([]);
    expect(emulator.providers("bot").find((p) => p.name === "away")).toBeUndefined();
  });

  it("fails check for a verify URL that is not an absolute http(s) URL", async () => {
    const { stack, run } = await newStack(setup());
    const s = await stack.up(await run([basic("relative", PASSWORD, "probe.png")]));
    expect(s.failed[0]?.checkFailures?.map((f) => f.property)).toEqual(["verify.url"]);
  });
});
