import { createRequire } from "node:module";
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type * as pkg from "../src";

// The class as the package ships it, with the SDK it loads; the engine is the SDK's mocks, which
// answer a registration with the inputs as the state (as the provider does for these inputs).
const load = createRequire(__filename);
const { MediaProvider }: typeof pkg = load("../dist/index.js");
const sdk: typeof pulumi = load("@pulumi/pulumi");

const registered: Record<string, Record<string, unknown>> = {};

beforeAll(() =>
  sdk.runtime.setMocks(
    {
      newResource: ({ name, inputs }) => {
        registered[name] = inputs;
        return { id: `bot/${inputs.name}`, state: { ...inputs, botId: "bot", type: "www" } };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  ),
);

const valueIn = <T>(output: pulumi.Output<T>): Promise<T> =>
  (output as unknown as { promise: () => Promise<T> }).promise();
const resourcesOf = (output: pulumi.Output<unknown>) =>
  (output as unknown as { resources: () => Set<pulumi.Resource> }).resources();

describe("MediaProvider's outputs", () => {
  it("are Outputs for every declared key, unset inputs undefined, after the resource", async () => {
    const p = new MediaProvider("plain", { name: "plain", config: { bearer: "t" } });
    expect(await valueIn(p.name)).toBe("plain");
    for (const key of ["region", "baseUrl", "apiToken", "adoptExisting", "verify"] as const) {
      const output: pulumi.Output<unknown> = p[key];
      expect(await valueIn(output)).toBeUndefined();
      expect(resourcesOf(output).has(p)).toBe(true);
    }
    expect(await valueIn(p.authType)).toBe("bearer");
    expect(await valueIn(p.username)).toBeUndefined();
  });

  it("give the inputs that were set, and the Basic username and kind, not secret", async () => {
    const p = new MediaProvider("basic", {
      name: "basic",
      region: "eu1",
      adoptExisting: true,
      config: { basic: { username: "svc", password: "pw" } },
    });
    expect(await valueIn(p.region)).toBe("eu1");
    expect(await valueIn(p.adoptExisting)).toBe(true);
    expect(await valueIn(p.authType)).toBe("basic");
    expect(await valueIn(p.username)).toBe("svc");
    expect(await (p.username as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(false);
    expect(await (p.config as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
  });

  it("send the auto-name only when the name is not a plain string", async () => {
    const named = new MediaProvider("named", { name: "named", config: { bearer: "t" } });
    const unnamed = new MediaProvider("unnamed", { config: { bearer: "t" } });
    await Promise.all([valueIn(named.urn), valueIn(unnamed.urn)]);
    expect(registered.named).not.toHaveProperty("autoName");
    expect(registered.unnamed?.autoName).toMatch(/^unnamed-[a-z]{8}$/);
  });
});
