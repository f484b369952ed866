import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { warmUp } from "../src/plugin/warm-up";

describe("the plugin's warm-up", () => {
  const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy };
  let proxy: Server | undefined;
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    proxy?.close();
  });

  it("sends its one request over loopback to itself, never through the configured proxy", async () => {
    let connections = 0;
    proxy = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => proxy?.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as { port: number };
    process.env.HTTP_PROXY = `http://127.0.0.1:${port}`;
    process.env.http_proxy = process.env.HTTP_PROXY;
    await expect(warmUp()).resolves.toBeUndefined();
    expect(connections).toBe(0);
  });
});
