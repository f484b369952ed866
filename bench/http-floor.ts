/**
 * Floor (a) of a phase: only the writes the phase cannot do without (N POSTs for up and update,
 * N DELETEs for destroy, one list GET for refresh, nothing for a rerun), sent straight with undici
 * to the same emulator, with the same connection limit as the provider's client (8 per origin)
 * and a fresh pool per phase, as each provider process starts with one. The requests carry the
 * client's headers and bodies; they go to a bot of their own so MediaProvider's bot is untouched.
 * Sent all at once by default; paced, request i leaves `startsMs[i]` ms after the first, as the
 * engine's calls reached the provider.
 */
import type * as Undici from "undici";
import type { PhaseName } from "./phases";
import { password, providerName } from "./programs";

export interface HttpFloorTarget {
  url: string;
  botId: string;
  token: string;
  connections: number;
}

export interface HttpFloorRun {
  ms: number;
  requests: number;
}

/**
 * Sends the necessary writes of `phase` for `n` resources, at once or at `startsMs`; the caller reads
 * the emulator counters. The bench runs it in a process of its own (http-floor-process.cjs) to
 * measure its CPU time.
 */
export async function httpFloor(
  target: HttpFloorTarget,
  phase: PhaseName,
  n: number,
  startsMs?: number[],
): Promise<HttpFloorRun> {
  const base = `/whatsapp/v1/${encodeURIComponent(target.botId)}/provision/provider`;
  const headers = {
    authorization: `Bearer ${target.token}`,
    "user-agent": "bench-floor",
    accept: "application/json",
  };
  // Made (and undici loaded) on the first request: the floor's time and CPU include loading undici,
  // as the provider's do, and a phase without requests (the rerun) costs nothing.
  let agent: Undici.Agent | undefined;
  const send = async (method: "GET" | "POST" | "DELETE", path: string, body?: string) => {
    agent ??= new (require("undici") as typeof Undici).Agent({
      connections: target.connections,
      keepAliveTimeout: 30_000,
    });
    const res = await agent.request({
      origin: target.url,
      path,
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`floor ${method} ${path}: ${res.statusCode} ${text}`);
  };
  const upsert = (version: string) => (i: number) =>
    send(
      "POST",
      base,
      JSON.stringify({
        name: providerName(i),
        type: "www",
        config: { basic: { username: "svc", password: password(version, i) } },
      }),
    );
  const each = (request: (i: number) => Promise<unknown>) =>
    Array.from({ length: n }, (_, i) => () => request(i));
  const requests: Record<PhaseName, () => (() => Promise<unknown>)[]> = {
    up: () => each(upsert("v1")),
    rerun: () => [],
    refresh: () => [() => send("GET", base)],
    update: () => each(upsert("v2")),
    destroy: () => each((i) => send("DELETE", `${base}/${providerName(i)}`)),
  };
  const t0 = performance.now();
  const at = (ms: number) =>
    new Promise((resolve) => setTimeout(resolve, Math.max(0, t0 + ms - performance.now())));
  const pending = requests[phase]().map((request, i) => {
    const start = startsMs?.[i];
    return start === undefined ? request() : at(start).then(request);
  });
  await Promise.all(pending);
  const ms = performance.now() - t0;
  await agent?.close();
  return { ms, requests: pending.length };
}
