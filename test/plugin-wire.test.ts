import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { ConfigurationError, UnauthorizedError, WriteNotConfirmedError } from "../src/errors";
import { pluginConfigSource } from "../src/plugin/config-source";
import { FUNCTION_RESULT, RESOURCE_OUTPUTS, secretProps, wrapSecrets } from "../src/plugin/json-schemas";
import { Struct } from "../src/plugin/proto";
import { RpcRefusal, toRpcStatus } from "../src/plugin/rpc-error";
import { secretStrings } from "../src/plugin/unary";
import { fromStruct, isSecret, secret, unwrapSecrets } from "../src/plugin/wire-values";
import { UNKNOWN } from "../src/utils/pulumi-wire";
import { toStruct } from "./support/struct";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const wrapped = (value: unknown) => ({ [SIG]: SECRET_SIG, value });

describe("secrets on the wire", () => {
  it("wraps a value in the engine's secret format", () => {
    expect(secret("pw")).toEqual(wrapped("pw"));
    expect(isSecret(wrapped({ bearer: "t" }))).toBe(true);
    expect(isSecret({ [SIG]: "another signature", value: 1 })).toBe(false);
  });

  it("unwraps secrets anywhere inside a value and says whether there was one", () => {
    expect(unwrapSecrets({ basic: { username: "u", password: wrapped("pw") } })).toEqual({
      value: { basic: { username: "u", password: "pw" } },
      secret: true,
    });
    expect(unwrapSecrets([1, wrapped([wrapped("x")])])).toEqual({ value: [1, ["x"]], secret: true });
    expect(unwrapSecrets({ a: [1, "b"] })).toEqual({ value: { a: [1, "b"] }, secret: false });
  });

  it("reads a Struct into plain properties and the top-level keys that held a secret", () => {
    const struct = Struct.fromJavaScript({
      name: "cdn",
      config: { basic: { username: "u", password: wrapped("pw") } },
      apiToken: wrapped("tok"),
    });
    const { props, secretKeys } = fromStruct(struct);
    expect(props).toEqual({
      name: "cdn",
      config: { basic: { username: "u", password: "pw" } },
      apiToken: "tok",
    });
    expect([...secretKeys].sort()).toEqual(["apiToken", "config"]);
    expect(fromStruct(undefined)).toEqual({ props: {}, secretKeys: new Set() });
  });

  it("writes properties to a Struct with undefined values left out (fromJavaScript refuses them)", () => {
    expect(() => Struct.fromJavaScript({ a: undefined } as never)).toThrow();
    const struct = toStruct({ a: undefined, b: { c: undefined, d: 1 }, e: [undefined, "x"] });
    expect(struct.toJavaScript()).toEqual({ b: { d: 1 }, e: [null, "x"] });
  });

  it("passes the unknown sentinel through untouched, inside a secret too", () => {
    const struct = toStruct(secretProps({ name: UNKNOWN, config: UNKNOWN }, RESOURCE_OUTPUTS, new Set()));
    expect(struct.toJavaScript()).toEqual({ name: UNKNOWN, config: wrapped(UNKNOWN) });
    expect(fromStruct(struct).props).toEqual({ name: UNKNOWN, config: UNKNOWN });
  });

  it("wraps config and apiToken in every response, whether or not they came in wrapped", () => {
    const outputs = {
      botId: "bot",
      name: "cdn",
      config: { basic: { username: "u", password: "pw" } },
      apiToken: "tok",
      username: "u",
    };
    expect(secretProps(outputs, RESOURCE_OUTPUTS, new Set())).toEqual({
      ...outputs,
      config: wrapped(outputs.config),
      apiToken: wrapped("tok"),
    });
  });

  it("keeps any other property secret that came in holding a secret, and never wraps twice", () => {
    const props = { verify: { url: "https://s.example/p" }, botId: "bot", config: wrapped({ bearer: "t" }) };
    expect(secretProps(props, RESOURCE_OUTPUTS, new Set(["verify", "config", "absent"]))).toEqual({
      verify: wrapped({ url: "https://s.example/p" }),
      botId: "bot",
      config: wrapped({ bearer: "t" }),
    });
  });

  it("wraps the credentials of every listed provider of the function's result", () => {
    const result = {
      botId: "bot",
      providers: [
        { name: "a", type: "www", config: { bearer: "t" }, authType: "bearer" },
        {
          name: "b",
          type: "www",
          config: { basic: { username: "u", password: "p" } },
          authType: "basic",
          username: "u",
        },
      ],
    };
    const sent = wrapSecrets(result, FUNCTION_RESULT, FUNCTION_RESULT) as typeof result;
    expect(sent.providers.map((p) => p.config)).toEqual([
      wrapped({ bearer: "t" }),
      wrapped({ basic: { username: "u", password: "p" } }),
    ]);
    expect(sent.providers[1]?.username).toBe("u");
  });
});

describe("errors as gRPC statuses", () => {
  const details = { method: "GET", path: "/v1/bot/provider", status: 401, attempts: 1 };

  it("puts the ERR_WHATSAPP code before the message and picks the status the engine understands", () => {
    const unauthorized = new UnauthorizedError(details);
    expect(toRpcStatus(unauthorized, [])).toEqual({
      code: status.UNAUTHENTICATED,
      details: `ERR_WHATSAPP_UNAUTHORIZED: ${unauthorized.message}`,
    });
    expect(toRpcStatus(new ConfigurationError("No bot id."), []).code).toBe(status.FAILED_PRECONDITION);
  });

  it("says UNKNOWN when a write may have been applied", () => {
    const lost = new WriteNotConfirmedError("bot", "cdn", 3, 1.5, "does not have it");
    expect(toRpcStatus(lost, []).code).toBe(status.UNKNOWN);
  });

  it("keeps a protocol refusal's status and marks an unexpected error as internal", () => {
    expect(toRpcStatus(new RpcRefusal(status.INVALID_ARGUMENT, "unknown function x"), [])).toEqual({
      code: status.INVALID_ARGUMENT,
      details: "unknown function x",
    });
    expect(toRpcStatus(new TypeError("boom"), [])).toEqual({
      code: status.INTERNAL,
      details: "internal error in the whatsapp plugin: boom",
    });
  });

  it("redacts every secret it is given from any message", () => {
    const leaky = new TypeError("cannot use token super-secret-token-1 for bot");
    expect(toRpcStatus(leaky, ["super-secret-token-1"]).details).not.toContain("super-secret-token-1");
  });

  it("finds the secrets of a request: inside wrappers and under the secret keys", () => {
    const request = {
      name: "cdn",
      apiToken: "tok-1",
      config: { basic: { username: "user-1", password: "pw-1" } },
      verify: { url: wrapped("https://s.example/secret-path") },
    };
    expect(secretStrings(request).sort()).toEqual([
      "https://s.example/secret-path",
      "pw-1",
      "tok-1",
      "user-1",
    ]);
  });
});

describe("the provider's config", () => {
  it("reads whatsapp:<key> from the engine's variables first, then from the inputs", () => {
    const variables = new Map([["whatsapp:config:botId", "from-variables"]]);
    const source = pluginConfigSource(variables, { botId: "from-args", region: "eu1", maxRetries: 3 });
    expect(source.get("whatsapp:botId")).toBe("from-variables");
    expect(source.get("whatsapp:region")).toBe("eu1");
    expect(source.get("whatsapp:maxRetries")).toBe("3");
    expect(source.get("whatsapp:apiToken")).toBeUndefined();
    expect(source.get("other:botId")).toBeUndefined();
  });
});
