/**
 * One short `pulumi up` then `pulumi destroy` through a plugin folder, for tests that check how the
 * plugin got onto the machine (plugin-git.test.ts): the plugin started as the Node language host
 * starts it (driver/plugin-host.ts), then the engine's calls in its order (driver/provider-calls.ts):
 * Handshake, GetPluginInfo, GetSchema, CheckConfig, Configure, then Check, Create, Read (a refresh)
 * and Delete of one MediaProvider against the emulator.
 */
import { expect } from "vitest";
import type { Emulator } from "../../src/emulator";
import { makeSecret, PluginHost, ProviderCalls, unwrapSecrets } from "./driver";

const PKG = "whatsapp";
const TYPE = "whatsapp:index:MediaProvider";
const SCOPE = { project: "media-infra", stack: "dev", pkg: PKG };

/** What a session saw: where run-plugin came from, the plugin's version and what the emulator held. */
export interface SessionResult {
  runPath: string;
  version: string;
  schemaName: string;
  providersAfterCreate: string[];
  providersAfterDelete: string[];
}

/** Runs the session on the plugin in `pluginDir`, with `programDir` as its working directory. */
export async function pluginSession(opts: {
  pluginDir: string;
  programDir: string;
  emulator: Emulator;
  bot: string;
  token: string;
}): Promise<SessionResult> {
  const { emulator, bot, token } = opts;
  const config = { botId: bot, baseUrl: emulator.url, apiToken: token, maxRetries: "0" };
  const plugin = await PluginHost.start({
    pluginDir: opts.pluginDir,
    programDir: opts.programDir,
    project: SCOPE.project,
    pkg: PKG,
    config: Object.fromEntries(Object.entries(config).map(([key, value]) => [`${PKG}:${key}`, value])),
  });
  try {
    expect(plugin.host.stdout).toBe(`${plugin.port}\n`);
    const calls = new ProviderCalls(plugin, SCOPE);
    await calls.handshake();
    const version = await calls.pluginInfo();
    const schema = (await calls.schema()) as { name: string };
    expect((await calls.checkConfig(config)).failures).toEqual([]);
    await calls.configure(config, ["apiToken"]);
    const seed = ProviderCalls.seed();
    const args = { name: "media_bucket", config: makeSecret({ bearer: "bearer-Git-3b8e51c2" }) };
    const { inputs, failures } = await calls.check(TYPE, "bucket", args, {}, seed);
    expect(failures).toEqual([]);
    const { id, outputs } = await calls.create(TYPE, "bucket", inputs);
    const providersAfterCreate = emulator.providers(bot).map((p) => p.name);
    const resource = { type: TYPE, name: "bucket", id, inputs, outputs, seed };
    const read = await calls.read(TYPE, "bucket", id, resource);
    expect(unwrapSecrets(read.outputs)).toMatchObject({ botId: bot, name: "media_bucket" });
    await calls.delete(resource);
    return {
      runPath: plugin.runPath,
      version,
      schemaName: schema.name,
      providersAfterCreate,
      providersAfterDelete: emulator.providers(bot).map((p) => p.name),
    };
  } finally {
    await plugin.stop();
  }
}
