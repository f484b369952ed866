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
});
