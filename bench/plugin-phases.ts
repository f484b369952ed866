/**
 * One phase of the plugin door: a plugin folder started as the Node language host starts it (the e2e
 * driver's PluginHost, a fresh process per phase as the engine starts one per command), loaded as the
 * engine loads the default provider, then the phase's calls in the engine's order (ProviderCalls):
 *
 * - up: Check one at a time (the engine's step generator takes registrations one by one), each
 *   Create sent as soon as its Check answers;
 * - rerun: Check and Diff one at a time, no write; update: the same, each Update sent as soon as its
 *   Diff answers;
 * - refresh: every Read at once; destroy: every Delete at once.
 *
 * The phase's time is from the first resource call to the last answer (the plugin's start has its
 * own measure); its CPU is the plugin process's whole CPU time, read from /proc before it stops.
 */
import {
  type LiveResource,
  makeSecret,
  PluginHost,
  type PropertyMap,
  ProviderCalls,
} from "../test/e2e/driver";
import type { PhaseName } from "./phases";
import { password, providerName } from "./programs";

export const PLUGIN_TYPE = "whatsapp:index:MediaProvider";

/** Where the plugin runs and what it is given. */
export interface PluginSetup {
  pluginDir: string;
  programDir: string;
  /** The provider's stack config, keys without the `whatsapp:` namespace. */
  config: Record<string, string>;
  /** Extra environment (e.g. `--cpu-prof`'s). */
  env?: Record<string, string>;
}

export interface PluginPhaseRun {
  /** First resource call to the last answer. */
  ms: number;
  /** Spawn to the last answer (start-up, the engine's loading calls, the phase). */
  wholeMs: number;
  /** Spawn until the port line. */
  portMs: number;
  /** CPU time of the plugin process, start-up included. */
  cpuMs: number;
  calls: Record<string, number>;
  /** When each write (Create or Update) was sent, in ms after the first. */
  writeStartsMs: number[];
  /** Resources the phase completed (created, unchanged, refreshed, updated, deleted). */
  done: number;
  failures: string[];
}

/** What the engine holds between commands: the live resources of the stack. */
export type Fleet = LiveResource[];

/** The inputs the program declares for resource `i` (its `config` secret, as the schema makes it). */
const args = (i: number, version: string): PropertyMap => ({
  name: providerName(i),
  config: makeSecret({ basic: { username: "svc", password: password(version, i) } }),
});

/** What a phase does with the fleet; `write` marks when a write leaves. */
type PhaseCalls = (
  calls: ProviderCalls,
  fleet: Fleet,
  n: number,
  write: () => void,
) => Promise<{ fleet: Fleet; done: number; failures: string[] }>;

/** Settles every promise; the failures as messages. */
async function settle<T>(pending: Promise<T>[]): Promise<{ values: T[]; failures: string[] }> {
  const results = await Promise.allSettled(pending);
  const values: T[] = [];
  const failures: string[] = [];
  for (const r of results) {
    if (r.status === "fulfilled") values.push(r.value);
    else failures.push(String((r.reason as Error)?.message ?? r.reason));
  }
  return { values, failures };
}

/** Check (and Diff) one at a time, each write sent as soon as its answers came, as the engine does. */
async function oneByOne(
  count: number,
  step: (i: number) => Promise<(() => Promise<LiveResource | undefined>) | LiveResource>,
  write: () => void,
): Promise<{ fleet: Fleet; done: number; failures: string[] }> {
  const pending: Promise<LiveResource | undefined>[] = [];
  const failures: string[] = [];
  for (let i = 0; i < count; i++) {
    try {
      const next = await step(i);
      if (typeof next !== "function") pending.push(Promise.resolve(next));
      else {
        write();
        pending.push(next());
      }
    } catch (error) {
      failures.push(String((error as Error).message ?? error));
    }
  }
  const settled = await settle(pending);
  const fleet = settled.values.filter((r): r is LiveResource => r !== undefined);
  return { fleet, done: fleet.length, failures: [...failures, ...settled.failures] };
}

async function checked(calls: ProviderCalls, name: string, news: PropertyMap, olds?: LiveResource) {
  const { inputs, failures } = await calls.check(PLUGIN_TYPE, name, news, olds?.inputs, olds?.seed);
  if (failures.length > 0) throw new Error(`check ${name}: ${JSON.stringify(failures)}`);
  return inputs;
}

const up: PhaseCalls = (calls, _fleet, n, write) =>
  oneByOne(
    n,
    async (i) => {
      const name = `mp-${i}`;
      const seed = ProviderCalls.seed();
      const { inputs } = await calls.check(PLUGIN_TYPE, name, args(i, "v1"), {}, seed);
      return async () => {
        const { id, outputs } = await calls.create(PLUGIN_TYPE, name, inputs);
        return { type: PLUGIN_TYPE, name, id, inputs, outputs, seed };
      };
    },
    write,
  );

/** Check and Diff of each resource against `version`; the update sends each Update after its Diff. */
const checkAndDiff =
  (version: string, writes: boolean): PhaseCalls =>
  (calls, fleet, _n, write) =>
    oneByOne(
      fleet.length,
      async (i) => {
        const live = fleet[i] as LiveResource;
        const inputs = await checked(calls, live.name, args(i, version), live);
        const { changes } = await calls.diff(live, inputs);
        if (!writes) {
          if (changes === "some") throw new Error(`rerun ${live.name}: Diff found changes`);
          return live;
        }
        return async () => ({ ...live, inputs, outputs: await calls.update(live, inputs) });
      },
      write,
    );

const refresh: PhaseCalls = async (calls, fleet) => {
  const reads = fleet.map(async (live) => {
    const { id, outputs, inputs } = await calls.read(live.type, live.name, live.id, live);
    if (id === "") throw new Error(`refresh ${live.name}: gone`);
    return { ...live, outputs, inputs: inputs ?? live.inputs };
  });
  const { values, failures } = await settle(reads);
  return { fleet: values, done: values.length, failures };
};

const destroy: PhaseCalls = async (calls, fleet) => {
  const { values, failures } = await settle(fleet.map((live) => calls.delete(live)));
  return { fleet: [], done: values.length, failures };
};

const PHASE_CALLS: Record<PhaseName, PhaseCalls> = {
  up,
  rerun: checkAndDiff("v1", false),
  refresh,
  update: checkAndDiff("v2", true),
  destroy,
};

/** Handshake, GetPluginInfo, CheckConfig, DiffConfig (once the provider is in the state), Configure. */
async function engineLoad(calls: ProviderCalls, config: Record<string, string>, inState: boolean) {
  await calls.handshake();
  await calls.pluginInfo();
  const { failures } = await calls.checkConfig(config);
  if (failures.length > 0) throw new Error(`CheckConfig: ${JSON.stringify(failures)}`);
  if (inState) await calls.diffConfig(config, config);
  await calls.configure(config, ["apiToken"]);
}

/** A fresh plugin process, as the engine starts one for a command, and the engine's calls to it. */
async function startPlugin(setup: PluginSetup): Promise<{ plugin: PluginHost; calls: ProviderCalls }> {
  const plugin = await PluginHost.start({
    pluginDir: setup.pluginDir,
    programDir: setup.programDir,
    project: "bench",
    pkg: "whatsapp",
    config: Object.fromEntries(Object.entries(setup.config).map(([k, v]) => [`whatsapp:${k}`, v])),
    env: setup.env,
    record: false,
  });
  return { plugin, calls: new ProviderCalls(plugin, { project: "bench", stack: "dev", pkg: "whatsapp" }) };
}

/** Runs `phase` on a fresh plugin process; returns its figures and the fleet the engine now holds. */
export async function runPluginPhase(
  setup: PluginSetup,
  phase: PhaseName,
  fleet: Fleet,
  n: number,
): Promise<{ run: PluginPhaseRun; fleet: Fleet }> {
  const t0 = performance.now();
  const { plugin, calls } = await startPlugin(setup);
  try {
    await engineLoad(calls, setup.config, phase !== "up");
    const writes: number[] = [];
    const t1 = performance.now();
    const result = await PHASE_CALLS[phase](calls, fleet, n, () => writes.push(performance.now() - t1));
    const end = performance.now();
    const run: PluginPhaseRun = {
      ms: end - t1,
      wholeMs: end - t0,
      portMs: plugin.host.startMs,
      cpuMs: plugin.host.cpuMs() ?? Number.NaN,
      calls: { ...plugin.host.calls },
      writeStartsMs: writes.map((t) => t - (writes[0] ?? 0)),
      done: result.done,
      failures: [...result.failures.slice(0, 3), ...plugin.stderr.split("\n").filter(Boolean).slice(0, 3)],
    };
    return { run, fleet: result.fleet };
  } finally {
    await plugin.stop();
  }
}

/** Spawn to the port line, and to the first Check answered after the engine's loading calls. */
export async function pluginStartup(setup: PluginSetup): Promise<{ portMs: number; firstCheckMs: number }> {
  const t0 = performance.now();
  const { plugin, calls } = await startPlugin(setup);
  try {
    await engineLoad(calls, setup.config, true);
    await checked(calls, "mp-0", args(0, "v1"));
    return { portMs: plugin.host.startMs, firstCheckMs: performance.now() - t0 };
  } finally {
    await plugin.stop();
  }
}
