import type { EnvHttpProxyAgent } from "undici";

/** What this package uses of undici: its proxy-aware agent, whose `request` and `dispatch` it calls. */
interface Undici {
  EnvHttpProxyAgent: typeof EnvHttpProxyAgent;
}

/**
 * Options of every undici agent this package makes: HTTP/1.1 only. undici 8 speaks HTTP/2 to a
 * TLS server that offers it, where one connection carries many requests at once; on HTTP/1.1 it
 * carries one, so an agent's `connections` bounds the requests in flight to a host.
 */
export const HTTP1_ONLY = { allowH2: false } as const;

/**
 * Options of the agents that honour HTTP(S)_PROXY: {@link HTTP1_ONLY}, and a `CONNECT` tunnel
 * through the proxy for plain-HTTP targets too, as undici 7 made; undici 8 would hand those to the
 * proxy as absolute-form requests, which a proxy that only tunnels refuses.
 */
export const PROXY_AGENT_OPTIONS = { ...HTTP1_ONLY, proxyTunnel: true } as const;

let loaded: Undici | undefined;

/**
 * undici, loaded on first use: most processes that import this package never send a request
 * (the Pulumi program, and the provider process of a `pulumi preview` or of an `up` with nothing
 * to change). Loaded from the modules it is made of, not its index, which also loads fetch,
 * WebSocket, caches and mocks: with undici 8 on Node.js 24, 75–95 ms of CPU instead of 165–195 ms
 * (medians of 3 batches of 21 fresh processes each) on a provider's first request, which a small
 * stack waits for. undici has no `exports` map, so the paths are public to `require`; `package.json` takes
 * its patch releases only, and a unit test checks that these are the classes its index exports.
 */
export function undici(): Undici {
  if (loaded === undefined) {
    // As undici's index does: the request API is on every dispatcher's prototype.
    Object.assign(require("undici/lib/dispatcher/dispatcher").prototype, require("undici/lib/api"));
    loaded = { EnvHttpProxyAgent: require("undici/lib/dispatcher/env-http-proxy-agent") };
  }
  return loaded;
}

/**
 * The option by which undici's pools and clients hand the handler of a request still waiting for a
 * connection a function that takes it out of their queue, as undici's own `request` does for a
 * signal. An internal of undici (`lib/core/symbols`, a small module its dispatchers load anyway);
 * a unit test checks that a request aborted while it connects leaves the queue.
 */
export function queuedAbortOption(): symbol {
  queuedAbort ??= (require("undici/lib/core/symbols") as { kQueuedAbort: symbol }).kQueuedAbort;
  return queuedAbort;
}

let queuedAbort: symbol | undefined;
