import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..");
const run = promisify(execFile);

describe("undici as this package loads it (its modules, not its index)", { timeout: 60_000 }, () => {
  it("gives the agent undici exports, with the request API on it, without loading the index", async () => {
    const script = `
      const { undici } = require("./dist/utils/undici.js");
      const { EnvHttpProxyAgent } = undici();
      const agent = new EnvHttpProxyAgent();
      const index = () => Object.keys(require.cache).some((f) => f.endsWith("/node_modules/undici/index.js"));
      const before = [typeof agent.request, index()];
      const undiciIndex = require("undici");
      console.log(JSON.stringify([...before, EnvHttpProxyAgent === undiciIndex.EnvHttpProxyAgent,
        agent.request === undiciIndex.Dispatcher.prototype.request]));
      agent.close();`;
    const { stdout } = await run(process.execPath, ["-e", script], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual(["function", false, true, true]);
  });
});
