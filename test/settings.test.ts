import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../src/errors/configuration-error";
import { readSettings } from "../src/provider/settings";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("readSettings", () => {
  it("takes the stack config first and the environment for what it lacks, numbers as numbers", () => {
    const settings = readSettings(config({ "whatsapp:botId": "cfg-bot", "whatsapp:maxRetries": "0" }), {
      WHATSAPP_BOT_ID: "env-bot",
      WHATSAPP_REGION: "eu1",
      WHATSAPP_MAX_CONCURRENCY: "4",
      WHATSAPP_RETRY_MIN_DELAY_MS: "",
      WHATSAPP_CALL_TIMEOUT_MS: "30000",
    });
    expect(settings).toEqual({
      botId: "cfg-bot",
      region: "eu1",
      maxRetries: 0,
      maxConcurrency: 4,
      callTimeoutMs: 30_000,
    });
  });

  it.each([
    [
      { WHATSAPP_MAX_CONCURRENCY: "0" },
      {},
      'WHATSAPP_MAX_CONCURRENCY must be a whole number above 0; it is "0".',
    ],
    [{}, { "whatsapp:maxRetries": "-1" }, 'whatsapp:maxRetries must be a whole number; it is "-1".'],
    [
      {},
      { "whatsapp:retryMinDelayMs": "1.5" },
      'whatsapp:retryMinDelayMs must be a whole number above 0; it is "1.5".',
    ],
    [{ WHATSAPP_MAX_RETRIES: "many" }, {}, 'WHATSAPP_MAX_RETRIES must be a whole number; it is "many".'],
    [
      {},
      { "whatsapp:callTimeoutMs": "0" },
      'whatsapp:callTimeoutMs must be a whole number above 0; it is "0".',
    ],
  ])("refuses a count that is not one (%j %j), naming where it came from", (env, values, message) => {
    const read = () => readSettings(config(values), env);
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(message);
  });

  it("reads whatsapp:maxResponseBytes, else WHATSAPP_MAX_RESPONSE_BYTES, as a whole number above 0", () => {
    expect(readSettings(config({}), { WHATSAPP_MAX_RESPONSE_BYTES: "1048576" }).maxResponseBytes).toBe(
      1_048_576,
    );
    expect(
      readSettings(config({ "whatsapp:maxResponseBytes": "2048" }), { WHATSAPP_MAX_RESPONSE_BYTES: "1" })
        .maxResponseBytes,
    ).toBe(2048);
    expect(() => readSettings(config({ "whatsapp:maxResponseBytes": "4MiB" }), {})).toThrow(
      'whatsapp:maxResponseBytes must be a whole number above 0; it is "4MiB".',
    );
  });

  it.each(["a/b", "..", ".", "x%2F..", "a b"])(
    "refuses the bot id %j, naming where it came from",
    (botId) => {
      expect(() => readSettings(config({ "whatsapp:botId": botId }), {})).toThrow(
        /^whatsapp:botId must be one path segment as it is: letters, digits and/,
      );
      expect(() => readSettings(config({}), { WHATSAPP_BOT_ID: botId })).toThrow(
        /^WHATSAPP_BOT_ID must be one path segment as it is/,
      );
    },
  );
});
