import type { Dispatcher } from "undici";
import { type ClientOptions, MediaProviderClient } from "../client/media-provider-client";
import { ConfigurationError } from "../errors/configuration-error";
import { currentSettings, operationSignal, sharedDispatcher } from "./context";
import { ProviderListView } from "./provider-list-view";
import { connectionSettings, noApiTokenMessage, type Settings } from "./settings";

/** What an operation needs to reach a bot's providers. */
export interface Connection {
  botId: string;
  client: MediaProviderClient;
  view: ProviderListView;
  /** Cancels the operations on it (the plugin's `Cancel`); none in the dynamic provider. */
  signal?: AbortSignal | undefined;
}

/** Where a resource lives, as stored in its inputs or outputs. */
export interface Target {
  botId: string;
  region?: string | undefined;
  baseUrl?: string | undefined;
  apiToken?: string | undefined;
}

// Lists may serve lookups for 2 s (a refresh of thousands of resources needs only a few);
// confirmations wait for the writes in flight, up to 1 s, and after two back to back (a create's
// lookup and confirmation) lists start at least 250 ms apart, so that one list confirms many
// writes even when the engine hands them over one by one.
const LIST_VIEW_OPTIONS = { maxAgeMs: 2_000, minIntervalMs: 250, burst: 2, maxBatchMs: 1_000 };

// Per connection pool: a client is bound to the pool it was made with.
const connections = new WeakMap<Dispatcher, Map<string, Connection>>();

/**
 * What a client for a resource needs: its own inputs first, then the stack config and the
 * environment as they are now, so a token rotated in config is used by refresh and destroy too.
 * A base URL from any source overrides a region from any source. The client is cancelled with the
 * process's operations (the plugin's `Cancel`).
 */
export function clientOptions(target: Target, settings: Settings): ClientOptions {
  const apiToken = target.apiToken ?? settings.apiToken;
  if (!apiToken) {
    throw new ConfigurationError(noApiTokenMessage(target.botId));
  }
  return {
    botId: target.botId,
    apiToken,
    baseUrl: target.baseUrl ?? settings.baseUrl,
    region: target.region ?? settings.region,
    ...connectionSettings(settings),
    signal: operationSignal(),
  };
}

/** The shared connection to the bot a resource lives in. */
export async function connect(target: Target): Promise<Connection> {
  const settings = await currentSettings();
  const options = clientOptions(target, settings);
  const key = JSON.stringify([options.botId, options.baseUrl ?? options.region, options.apiToken]);
  const dispatcher = await sharedDispatcher();
  const pool = connections.get(dispatcher) ?? new Map<string, Connection>();
  connections.set(dispatcher, pool);
  let connection = pool.get(key);
  if (!connection) {
    const { signal } = options;
    const client = new MediaProviderClient({ ...options, dispatcher });
    connection = {
      botId: options.botId,
      client,
      view: new ProviderListView(() => client.list(), { ...LIST_VIEW_OPTIONS, signal }),
      signal,
    };
    pool.set(key, connection);
  }
  return connection;
}
