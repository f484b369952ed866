/**
 * The plugin door (issue 25): the plugin folder of the packed package, started as RunPlugin starts it
 * and driven as the engine drives it (plugin-phases.ts), each phase set against its floors in the same
 * round: the empty plugin (test/e2e/fixtures/empty-plugin) started the same way and sent the same
 * calls, and undici sending the necessary requests over the client's connections, at the engine's
 * pace where the phase is paced (up and update: each write leaves when the empty plugin's run sent it).
 * Then start-up (spawn to the port line, and to the first Check) and the small stack.
 */
import * as path from "node:path";
import { installFixture, installProgram, REPO_ROOT } from "../test/e2e/driver";
import { BOT, TOKEN, withEmulator } from "./bench-setup";
import type { BenchEmulator, EmulatorThread } from "./emulator-thread";
import { type HttpRun, runHttpFloor } from "./http-floor-runner";
import { PHASES, type PhaseName, requestsOf } from "./phases";
import {
  type Fleet,
  type PluginPhaseRun,
  type PluginSetup,
  pluginStartup,
  runPluginPhase,
} from "./plugin-phases";
import type { PluginDoorResults, PluginPhaseResult, PluginSizeResult, PluginStartup } from "./results";
import { median } from "./startup";
import { sameCalls, verifyEmulator } from "./verify";

export interface PluginDoorOptions {
  sizes: number[];
  /** Rounds per N (default 3). */
  repeat?: number;
  latencyMs: number;
  botLimit: number;
  emulatorThread: EmulatorThread;
  startupRuns: number;
  smallStack: { n: number; latencyMs: number } | undefined;
  /** Extra environment of the plugins (`--cpu-prof`'s). */
  env?: Record<string, string>;
}

type Kind = "plugin" | "empty";
type Log = (line: string) => void;
/** The phases the small stack runs: its target is `up`; destroy leaves the bot empty for the next round. */
const SMALL_STACK_PHASES: readonly PhaseName[] = ["up", "destroy"];
/** Phases whose writes the engine hands out one by one: their HTTP floor is paced. */
const PACED: ReadonlySet<PhaseName> = new Set(["up", "update"]);

const ms = (v: number) => Math.round(v);

interface Rounds {
  plugin: PluginPhaseRun[];
  empty: PluginPhaseRun[];
  http: HttpRun[];
  /** Undici at the pace the engine asked the plugin for each write: the CPU unit. */
  paced: HttpRun[];
  requests: ReturnType<typeof requestsOf>[];
  bytes: number[];
}

interface DoorCtx {
  opts: PluginDoorOptions;
  dirs: Record<Kind, PluginSetup>;
  problems: string[];
  log: Log;
}

export async function runPluginDoor(
  opts: PluginDoorOptions,
  problems: string[],
  log: Log,
): Promise<PluginDoorResults> {
  const dirs = await installPlugins(opts);
  const ctx: DoorCtx = { opts, dirs, problems, log };
  log(`\nplugin door: sizes ${opts.sizes.join(", ")}, emulator latency ${opts.latencyMs} ms`);
  const sizes = await withEmulator(opts, opts.latencyMs, async (emulator) => {
    const out: PluginSizeResult[] = [];
    for (const n of opts.sizes) out.push(await runSize(ctx, emulator, n, PHASES, opts.repeat ?? 3));
    return out;
  });
  const small = opts.smallStack;
  const smallStack = small
    ? await withEmulator(opts, small.latencyMs, async (emulator) => ({
        latencyMs: small.latencyMs,
        ...(await runSize(ctx, emulator, small.n, SMALL_STACK_PHASES, opts.repeat ?? 3)),
      }))
    : undefined;
  const startup = await measureStartups(ctx);
  return {
    repeat: opts.sizes.map(() => opts.repeat ?? 3),
    sizes,
    ...(smallStack ? { smallStack } : {}),
    startup,
  };
}

/** The plugin folder of the packed package (installed once per run) and the empty plugin's. */
async function installPlugins(opts: PluginDoorOptions): Promise<Record<Kind, PluginSetup>> {
  const [media, empty] = await Promise.all([
    installProgram("package", [REPO_ROOT]),
    installFixture("empty-plugin"),
  ]);
  const setup = (dir: string, pluginDir: string): PluginSetup => ({
    pluginDir,
    programDir: dir,
    config: { botId: BOT, baseUrl: "http://127.0.0.1:1", apiToken: TOKEN },
    ...(opts.env ? { env: opts.env } : {}),
  });
  return {
    plugin: setup(media.dir, path.join(media.dir, "node_modules/pulumi-sinch-whatsapp/plugin")),
    empty: setup(empty.dir, path.join(empty.dir, "node_modules/empty-plugin")),
  };
}

async function runSize(
  ctx: DoorCtx,
  emulator: BenchEmulator,
  n: number,
  phases: readonly PhaseName[],
  repeat: number,
): Promise<PluginSizeResult> {
  ctx.log(`  plugin door N = ${n}`);
  const withUrl = (kind: Kind): PluginSetup => ({
    ...ctx.dirs[kind],
    config: { ...ctx.dirs[kind].config, baseUrl: emulator.url },
  });
  const setups = { plugin: withUrl("plugin"), empty: withUrl("empty") };
  const rounds = Object.fromEntries(
    phases.map((p) => [p, { plugin: [], empty: [], http: [], paced: [], requests: [], bytes: [] }]),
  ) as unknown as Record<PhaseName, Rounds>;
  for (let rep = 1; rep <= repeat; rep++) {
    const fleets: Record<Kind, Fleet> = { plugin: [], empty: [] };
    for (const phase of phases) {
      await runRound(ctx, { emulator, setups, fleets, n, phase }, rounds[phase]);
      const r = rounds[phase];
      ctx.log(
        `    ${`${phase} ${rep}/${repeat}`.padEnd(12)} ${ms(r.plugin.at(-1)?.ms ?? 0)} ms ` +
          `(empty plugin ${ms(r.empty.at(-1)?.ms ?? 0)}, HTTP floor ${ms(r.http.at(-1)?.ms ?? 0)}); ` +
          `CPU ${ms(r.plugin.at(-1)?.cpuMs ?? 0)} | ${ms(r.empty.at(-1)?.cpuMs ?? 0)} ms`,
      );
    }
  }
  const results: PluginSizeResult["phases"] = {};
  for (const phase of phases) results[phase] = phaseResult(rounds[phase]);
  return { n, phases: results };
}

interface RoundState {
  emulator: BenchEmulator;
  setups: Record<Kind, PluginSetup>;
  fleets: Record<Kind, Fleet>;
  n: number;
  phase: PhaseName;
}

/** One round of a phase: the plugin, the empty plugin, undici (paced where the engine paces the writes). */
async function runRound(ctx: DoorCtx, st: RoundState, rounds: Rounds): Promise<void> {
  const { emulator, n, phase } = st;
  await emulator.resetCounters();
  const plugin = await runKind(ctx, st, "plugin");
  const counters = await emulator.counters();
  ctx.problems.push(...(await verifyEmulator(emulator, phase, n)).map((p) => `plugin door: ${p}`));
  const empty = await runKind(ctx, st, "empty");
  if (!sameCalls(plugin.calls, empty.calls)) {
    ctx.problems.push(`plugin door ${phase} N=${n}: gRPC calls differ from the empty plugin's`);
  }
  const paced = PACED.has(phase);
  rounds.plugin.push(plugin);
  rounds.empty.push(empty);
  rounds.requests.push(requestsOf(counters));
  rounds.bytes.push(counters.bytesSent);
  rounds.http.push(await runHttpFloor(emulator, phase, n, paced ? empty.writeStartsMs : undefined));
  if (phase === "up") rounds.paced.push(await runHttpFloor(emulator, phase, n, plugin.writeStartsMs));
}

async function runKind(ctx: DoorCtx, st: RoundState, kind: Kind): Promise<PluginPhaseRun> {
  const { run, fleet } = await runPluginPhase(st.setups[kind], st.phase, st.fleets[kind], st.n);
  st.fleets[kind] = fleet;
  if (run.done !== st.n || run.failures.length > 0) {
    ctx.problems.push(
      `plugin door ${kind} ${st.phase} N=${st.n}: ${run.done} of ${st.n} done; ${run.failures.join(" | ")}`,
    );
  }
  return run;
}

/** The run of median time (the lower middle one for an even count), and its index. */
function medianIndex(values: number[]): number {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  return order[(order.length - 1) >> 1]?.[1] ?? 0;
}

function phaseResult(r: Rounds): PluginPhaseResult {
  const at = medianIndex(r.plugin.map((x) => x.ms));
  const plugin = r.plugin[at] as PluginPhaseRun;
  const empty = r.empty[medianIndex(r.empty.map((x) => x.ms))] as PluginPhaseRun;
  const http = r.http[medianIndex(r.http.map((x) => x.ms))] as HttpRun;
  const floorMs = Math.max(http.ms, empty.ms);
  return {
    ...plugin,
    requests: r.requests[at] ?? { GET: 0, POST: 0, DELETE: 0, total: 0 },
    bytesReceived: r.bytes[at] ?? 0,
    cpu: {
      plugin: median(r.plugin.map((x) => x.cpuMs)),
      empty: median(r.empty.map((x) => x.cpuMs)),
      ...(r.paced.length > 0 ? { pacedHttp: median(r.paced.map((x) => x.cpuMs)) } : {}),
    },
    floor: {
      ms: floorMs,
      httpMs: http.ms,
      httpCpuMs: http.cpuMs,
      emptyMs: empty.ms,
      bound: http.ms > empty.ms ? "http" : "empty",
    },
    ratio: plugin.ms / floorMs,
    runsMs: {
      plugin: r.plugin.map((x) => ms(x.ms)),
      empty: r.empty.map((x) => ms(x.ms)),
      http: r.http.map((x) => ms(x.ms)),
    },
    empty,
  };
}

/** Start-up of each plugin, interleaved, after one warm-up run each (the file cache). */
async function measureStartups(ctx: DoorCtx): Promise<PluginDoorResults["startup"]> {
  const { startupRuns } = ctx.opts;
  ctx.log(`  plugin start-up: ${startupRuns} runs each, spawn to the port line and to the first Check`);
  const runs: Record<Kind, { portMs: number; firstCheckMs: number }[]> = { plugin: [], empty: [] };
  await pluginStartup(ctx.dirs.plugin);
  await pluginStartup(ctx.dirs.empty);
  for (let i = 0; i < startupRuns; i++) {
    runs.plugin.push(await pluginStartup(ctx.dirs.plugin));
    runs.empty.push(await pluginStartup(ctx.dirs.empty));
  }
  const summary = (r: { portMs: number; firstCheckMs: number }[]): PluginStartup => ({
    runs: r.map((x) => ({ portMs: ms(x.portMs), firstCheckMs: ms(x.firstCheckMs) })),
    medianPortMs: median(r.map((x) => x.portMs)),
    medianFirstCheckMs: median(r.map((x) => x.firstCheckMs)),
  });
  const plugin = summary(runs.plugin);
  const empty = summary(runs.empty);
  return { plugin, empty, ratio: plugin.medianPortMs / empty.medianPortMs };
}
