import { afterAll, describe, expect, it } from "vitest";
import { CallTimeoutError, NetworkError } from "../src/errors";
import { connect } from "../src/provider/connection";
import { configureSettings } from "../src/provider/context";
import { startRawServer } from "./support/raw-server";

const LIST = '{"settings":{"application":{"media":{"providers":[]}}}}';

afterAll(() => configureSettings({ get: () => undefined }));

describe("connections and configure", () => {
  it("closes the old connection pool on configure, and binds no new operation to it", async () => {
    const raw = await startRawServer((_req, res) => res.end(LIST));
    const config: Record<string, string> = {
      "whatsapp:baseUrl": raw.url,
      "whatsapp:apiToken": "api-token",
      "whatsapp:maxRetries": "0",
    };
    await configureSettings({ get: (key) => config[key] });
    const before = await connect({ botId: "bot" });
    expect(await before.client.list()).toEqual([]);

    await configureSettings({ get: (key) => config[key] });
    const after = await connect({ botId: "bot" });
    expect(after.client).not.toBe(before.client);
    expect(await after.client.list()).toEqual([]);
    const error = await before.client.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).causeCode).toMatch(/^UND_ERR_(CLOSED|DESTROYED)$/);
    await raw.close();
  });

  it("gives the client the call deadline of the stack config", async () => {
    const silent = await startRawServer(() => {});
    const config: Record<string, string> = {
      "whatsapp:baseUrl": silent.url,
      "whatsapp:apiToken": "api-token",
      "whatsapp:callTimeoutMs": "300",
    };
    await configureSettings({ get: (key) => config[key] });
    const { client } = await connect({ botId: "bot" });
    const error = await client.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 300, attempts: 1, waitingFor: "headers" });
    await silent.close();
  });
});
