import { describe, expect, it } from "vitest";
import { diff } from "../src/provider/diff";
import { UNKNOWN } from "../src/utils/pulumi-wire";

const outputs = {
  botId: "bot",
  name: "cdn",
  type: "www",
  config: { bearer: "tok" },
  authType: "bearer",
  __provider: "p",
};
const inputs = { botId: "bot", name: "cdn", type: "www", config: { bearer: "tok" }, __provider: "p" };

describe("diff", () => {
  it("reports no change for the same content", async () => {
    expect(await diff("bot/cdn", outputs, inputs)).toMatchObject({ changes: false, replaces: [] });
  });

  it.each(["name", "botId"])("replaces on a change of %s", async (key) => {
    expect(await diff("bot/cdn", outputs, { ...inputs, [key]: "other" })).toMatchObject({
      changes: true,
      replaces: [key],
    });
  });

  it.each([
    ["config", { bearer: "new" }],
    ["type", "other"],
    ["region", "eu1"],
    ["baseUrl", "http://127.0.0.1:1"],
    ["apiToken", "rotated"],
    ["adoptExisting", true],
    ["verify", { url: "https://storage.example.com/probe.png" }],
  ])("updates in place on a change of %s", async (key, value) => {
    expect(await diff("bot/cdn", outputs, { ...inputs, [key]: value })).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("sees drift: outputs refreshed from the API against the declared inputs", async () => {
    const drifted = { ...outputs, config: { bearer: "changed-by-hand" } };
    expect(await diff("bot/cdn", drifted, inputs)).toMatchObject({ changes: true, replaces: [] });
  });

  it("treats unknown values as possible changes, and an unknown name as a possible replacement", async () => {
    expect(await diff("bot/cdn", outputs, { ...inputs, config: { bearer: UNKNOWN } })).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await diff("bot/cdn", outputs, { ...inputs, name: UNKNOWN })).toMatchObject({
      replaces: ["name"],
    });
  });
});
