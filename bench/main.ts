/**
 * `npm run bench`: MediaProvider at scale, driven the way `pulumi up` drives it (the packed package,
 * the program run through the SDK's program runner, the SDK's dynamic-provider host over gRPC, HTTP
 * to the emulator), each phase set against its floor; then the same through the provider plugin
 * (plugin-door.ts). See bench/README.md.
 *
 *   node bench/run.cjs [--sizes 100,1000] [--repeat 3] [--startup-runs 7] [--latency 5] [--bot-limit 16]
 *                      [--emulator-thread worker|main] [--no-small-stack] [--door both|dynamic|plugin]
 *                      [--plugin-repeat 3] [--out dir] [--cpu-prof dir] [--keep] [--render-only]
 */

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  installFixture,
  installProgram,
  type Project,
  REPO_ROOT,
  type Registration,
  type RunOptions,
  runDir,
  Stack,
} from "../test/e2e/driver";
import { BOT, CLIENT_CONNECTIONS, TOKEN, withEmulator } from "./bench-setup";
import type { BenchEmulator, EmulatorThread } from "./emulator-thread";
import { type HttpRun, runHttpFloor } from "./http-floor-runner";
import { PHASES, type PhaseName, type PhaseRun, runPhase } from "./phases";
import { type PluginDoorOptions, runPluginDoor } from "./plugin-door";
import { EMPTY_PROGRAM, MEDIA_PROGRAM } from "./programs";
import { renderConsole, renderSvg, renderTable } from "./report";
import type { BenchResults, PhaseResult, PluginDoorResults, SizeResult } from "./results";
import { measureStartup, median, type StackSettings, type StartupRun } from "./startup";
import { targets } from "./targets";
import { sameCalls, verify, verifyEmulator } from "./verify";

const RESULTS_DIR = path.join(REPO_ROOT, "bench/results");
const PROGRAM_FILE = "bench-program.js";
/** Issue 13's small stack: a few providers behind a far-away region. */
const SMALL_STACK = { n: 3, latencyMs: 100 };

interface Options {
  sizes: number[];
  startupRuns: number;
  latencyMs: number;
  botLimit: number;
  keep: boolean;
  /** Rounds of all phases per N; default 3 up to N=1000, else 1. */
  repeat?: number;
  emulatorThread: EmulatorThread;
  /** Only render table.md and scale.svg again from latest.json. */
  renderOnly: boolean;
  /** Also run the small-stack profile (3 providers, 100 ms per request). */
  smallStack: boolean;
  /** Where latest.json, table.md and scale.svg go (default bench/results). */
  out: string;
  /** When set, every provider host, plugin and program run writes a V8 CPU profile into this folder. */
  cpuProf: string | undefined;
  /** Which doors run: the dynamic resource, the plugin, or both (default). */
  door: Door;
  /** Rounds of the plugin door per N (default 3). */
  pluginRepeat?: number;
}

type Door = "both" | "dynamic" | "plugin";

const FLAGS = {
  sizes: { type: "string", default: "100,1000" },
  "startup-runs": { type: "string", default: "7" },
  latency: { type: "string", default: "5" },
  "bot-limit": { type: "string", default: "16" },
  repeat: { type: "string" },
  "emulator-thread": { type: "string", default: "worker" },
  keep: { type: "boolean", default: false },
  "render-only": { type: "boolean", default: false },
  "no-small-stack": { type: "boolean", default: false },
  out: { type: "string", default: RESULTS_DIR },
  "cpu-prof": { type: "string" },
  door: { type: "string", default: "both" },
  "plugin-repeat": { type: "string" },
} as const;

/** A whole number of at least `min`, or an error naming the flag. */
function whole(flag: string, value: string, min = 0): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag}: ${value} is not a whole number ≥ ${min}`);
  return n;
}

function door(value: string): Door {
  if (value !== "both" && value !== "dynamic" && value !== "plugin")
    throw new Error("--door is both, dynamic or plugin");
  return value;
}

function emulatorThread(value: string): EmulatorThread {
  if (value !== "worker" && value !== "main") throw new Error("--emulator-thread is worker or main");
  return value;
}

function parseOptions(argv: string[]): Options {
  const { values: v } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false });
  return {
    sizes: v.sizes.split(",").map((x) => whole("sizes", x, 1)),
    startupRuns: whole("startup-runs", v["startup-runs"], 1),
    latencyMs: whole("latency", v.latency),
    botLimit: whole("bot-limit", v["bot-limit"], 1),
    keep: v.keep,
    repeat: v.repeat === undefined ? undefined : whole("repeat", v.repeat, 1),
    emulatorThread: emulatorThread(v["emulator-thread"]),
    renderOnly: v["render-only"],
    smallStack: !v["no-small-stack"],
    out: path.resolve(v.out),
    cpuProf: v["cpu-prof"] === undefined ? undefined : profileDir(path.resolve(v["cpu-prof"])),
    door: door(v.door),
    pluginRepeat:
      v["plugin-repeat"] === undefined ? undefined : whole("plugin-repeat", v["plugin-repeat"], 1),
  };
}

/** The folder for `--cpu-prof`, made once. */
function profileDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const ms = (v: number) => Math.round(v);

/** The run of median time (the lower middle one for an even count). */
function medianRun<T extends { ms: number }>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const run = sorted[(sorted.length - 1) >> 1];
  if (!run) throw new Error("no runs");
  return run;
}

export async function main(argv: string[]): Promise<number> {
  const opts = parseOptions(argv);
  if (opts.renderOnly) {
    const results = JSON.parse(readFileSync(path.join(opts.out, "latest.json"), "utf8")) as BenchResults;
    // The targets are a function of the figures: checked again, as targets.ts says now.
    results.targets = targets(results);
    writeOutputs(opts.out, results);
    return 0;
  }
  const started = performance.now();
  if (!existsSync(path.join(REPO_ROOT, "dist/provider/index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm run bench does)");
  }
  const keepRunDir = opts.keep || process.env.E2E_RUN_DIR !== undefined;
  try {
    return await bench(opts, started);
  } finally {
    if (keepRunDir) log(`program folders kept in ${runDir()}`);
    else rmSync(runDir(), { recursive: true, force: true });
  }
}

/** The two program folders: this package's MediaProvider, and the empty provider (floor b). */
interface Kinds {
  media: Project;
  empty: Project;
}
type Kind = keyof Kinds;

/** Everything one size (or the small stack) needs: the emulator, the programs, the stack settings. */
interface Ctx {
  opts: Options;
  emulator: BenchEmulator;
  kinds: Kinds;
  settings: StackSettings;
  problems: string[];
}

/** One size's rounds, phase by phase: MediaProvider, empty provider, HTTP floor. */
type Runs = Record<PhaseName, { media: PhaseRun[]; empty: PhaseRun[]; http: HttpRun[]; paced: HttpRun[] }>;

interface SizeRun {
  size: SizeResult;
  /** The first resource each program registered. */
  first: Record<Kind, Registration | undefined>;
}

async function bench(opts: Options, started: number): Promise<number> {
  log(
    `bench: sizes ${opts.sizes.join(", ")}; emulator latency ${opts.latencyMs} ms, ` +
      `${opts.botLimit} requests in flight per bot, on the ${opts.emulatorThread} thread; ` +
      `client and HTTP floor ${CLIENT_CONNECTIONS} connections`,
  );
  const problems: string[] = [];
  const dynamic = opts.door === "plugin" ? undefined : await runDynamicDoor(opts, problems);
  const plugin =
    opts.door === "dynamic" ? undefined : await runPluginDoor(pluginOptions(opts), problems, log);
  const results = buildResults(opts, dynamic, plugin, problems);
  results.totalMs = performance.now() - started;
  writeResults(opts.out, results);
  if (problems.length === 0) return 0;
  log(`\n${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return 1;
}

/** The dynamic resource's door: every size, the small stack, start-up. */
async function runDynamicDoor(opts: Options, problems: string[]): Promise<DynamicDoor> {
  const kinds = await installPrograms();
  const main = await withEmulator(opts, opts.latencyMs, (emulator) =>
    runSizes({ opts, emulator, kinds, problems, settings: settingsFor(emulator.url, opts) }),
  );
  const small = opts.smallStack ? await runSmallStack({ opts, kinds, problems }) : undefined;
  const { media, empty } = main.at(-1)?.first ?? {};
  if (!media || !empty) throw new Error("no registered resource for the start-up runs");
  const startup = await measureStartups(opts, kinds, { media, empty });
  return { main, small, startup };
}

interface DynamicDoor {
  main: SizeRun[];
  small: SizeResult | undefined;
  startup: BenchResults["startup"];
}

function pluginOptions(opts: Options): PluginDoorOptions {
  return {
    sizes: opts.sizes,
    ...(opts.pluginRepeat === undefined ? {} : { repeat: opts.pluginRepeat }),
    latencyMs: opts.latencyMs,
    botLimit: opts.botLimit,
    emulatorThread: opts.emulatorThread,
    startupRuns: opts.startupRuns,
    smallStack: opts.smallStack ? SMALL_STACK : undefined,
    ...(opts.cpuProf ? { env: profileEnv(opts.cpuProf) } : {}),
  };
}

async function installPrograms(): Promise<Kinds> {
  const t0 = performance.now();
  // `npm run bench` has built dist/: packing it (prepare) builds again only when a source is newer.
  const [media, empty] = await Promise.all([
    installProgram("package", [REPO_ROOT]),
    installFixture("empty-provider"),
  ]);
  writeFileSync(path.join(media.dir, PROGRAM_FILE), MEDIA_PROGRAM);
  writeFileSync(path.join(empty.dir, PROGRAM_FILE), EMPTY_PROGRAM);
  log(`installed the packed package and the empty-provider fixture in ${ms(performance.now() - t0)} ms`);
  const project = (dir: string): Project => ({ name: "bench", root: dir, pwd: dir, entry: PROGRAM_FILE });
  return { media: project(media.dir), empty: project(empty.dir) };
}

function settingsFor(baseUrl: string, opts?: Options): StackSettings {
  const settings: StackSettings = {
    project: "bench",
    config: { "whatsapp:botId": BOT, "whatsapp:baseUrl": baseUrl, "whatsapp:apiToken": TOKEN },
    secretKeys: ["whatsapp:apiToken"],
  };
  if (opts?.cpuProf) settings.hostEnv = profileEnv(opts.cpuProf);
  return settings;
}

async function runSizes(ctx: Ctx): Promise<SizeRun[]> {
  const out: SizeRun[] = [];
  for (const n of ctx.opts.sizes) {
    log(`\nN = ${n}`);
    out.push(await runSize(ctx, n, ctx.opts.repeat ?? defaultRepeat(n)));
  }
  return out;
}

const defaultRepeat = (n: number) => (n > 1000 ? 1 : 3);

/** Issue 13's profile: a stack of 3 providers, every emulator request 100 ms later. */
async function runSmallStack(ctx: Omit<Ctx, "emulator" | "settings">): Promise<SizeResult> {
  log(`\nsmall stack: N = ${SMALL_STACK.n}, emulator latency ${SMALL_STACK.latencyMs} ms`);
  const run = await withEmulator(ctx.opts, SMALL_STACK.latencyMs, (emulator) =>
    runSize(
      { ...ctx, emulator, settings: settingsFor(emulator.url, ctx.opts) },
      SMALL_STACK.n,
      ctx.opts.repeat ?? 3,
    ),
  );
  return run.size;
}

/** The environment that makes a process write its CPU profile into `dir` (see cpu-profile.cjs). */
function profileEnv(dir: string): Record<string, string> {
  return { NODE_OPTIONS: `--require ${path.join(__dirname, "cpu-profile.cjs")}`, BENCH_CPU_PROF: dir };
}

/** A program run's options: the program declares `n` resources of `version`. */
const programRun = (opts: Options, n: number, version: string): RunOptions => ({
  env: { BENCH_N: String(n), BENCH_VERSION: version, ...(opts.cpuProf ? profileEnv(opts.cpuProf) : {}) },
});

async function runSize(ctx: Ctx, n: number, repeat: number): Promise<SizeRun> {
  const stack = (kind: Kind) => new Stack({ ...ctx.settings, project: ctx.kinds[kind], stack: "dev" });
  const stacks: Record<Kind, Stack> = { media: stack("media"), empty: stack("empty") };
  const runs = Object.fromEntries(
    PHASES.map((p) => [p, { media: [], empty: [], http: [], paced: [] }]),
  ) as unknown as Runs;
  const size: SizeResult = {
    n,
    stateBytesPerResource: { media: 0, empty: 0 },
    phases: {} as Record<PhaseName, PhaseResult>,
  };
  const first: SizeRun["first"] = { media: undefined, empty: undefined };
  // Each round runs every phase, and ends with nothing left, so the next round starts afresh.
  for (let rep = 1; rep <= repeat; rep++) {
    for (const phase of PHASES) {
      const label = `${phase} ${rep}/${repeat}`;
      await runPhaseTriple(ctx, { stacks, runs, size, first, n, label }, phase);
    }
  }
  for (const phase of PHASES) size.phases[phase] = phaseResult(runs[phase]);
  return { size, first };
}

interface SizeState {
  stacks: Record<Kind, Stack>;
  runs: Runs;
  size: SizeResult;
  first: SizeRun["first"];
  n: number;
  label: string;
}

/** One phase, interleaved (MediaProvider, empty provider, HTTP floor) so drift in the machine hits all three. */
async function runPhaseTriple(ctx: Ctx, st: SizeState, phase: PhaseName): Promise<void> {
  const { n } = st;
  const { run: media, createStartsMs } = await runKind(ctx, st, "media", phase);
  ctx.problems.push(...(await verifyEmulator(ctx.emulator, phase, n)));
  const { run: empty } = await runKind(ctx, st, "empty", phase);
  if (empty.requests.total > 0) ctx.problems.push(`empty provider sent ${empty.requests.total} requests`);
  if (!sameCalls(media.calls, empty.calls)) {
    ctx.problems.push(
      `${phase} N=${n}: gRPC calls differ: MediaProvider ${fmtCalls(media.calls)} vs empty ${fmtCalls(empty.calls)}`,
    );
  }
  const http = await runHttpFloor(ctx.emulator, phase, n);
  st.runs[phase].media.push(media);
  st.runs[phase].empty.push(empty);
  st.runs[phase].http.push(http);
  // For the CPU target: the same writes again, each sent when the engine asked for it.
  if (phase === "up") st.runs[phase].paced.push(await runHttpFloor(ctx.emulator, phase, n, createStartsMs));
  log(
    `  ${st.label.padEnd(12)} ${ms(media.ms)} ms (HTTP floor ${ms(http.ms)}, host floor ${ms(empty.ms)})  ` +
      `GET ${media.requests.GET} POST ${media.requests.POST} DELETE ${media.requests.DELETE}  ` +
      `${(media.bytesReceived / 1024).toFixed(1)} KiB  [${media.outcome}]`,
  );
}

const WHO: Record<Kind, string> = { media: "MediaProvider", empty: "empty provider" };

/**
 * One kind's run of a phase, checked, and when it asked for each create; after `up` its state size
 * is recorded.
 */
async function runKind(
  ctx: Ctx,
  st: SizeState,
  kind: Kind,
  phase: PhaseName,
): Promise<{ run: PhaseRun; createStartsMs: number[] }> {
  const stack = st.stacks[kind];
  const program = programRun(ctx.opts, st.n, phase === "update" ? "v2" : "v1");
  const { run, registrations, createStartsMs } = await runPhase(stack, ctx.emulator, phase, program);
  ctx.problems.push(...verify(WHO[kind], phase, st.n, run));
  st.first[kind] ??= registrations[0];
  if (phase === "up") st.size.stateBytesPerResource[kind] = Buffer.byteLength(stack.stateJson()) / st.n;
  return { run, createStartsMs };
}

/** A phase's figures: the MediaProvider and empty-provider runs of median time, the median HTTP floor. */
function phaseResult(runs: Runs[PhaseName]): PhaseResult {
  const media = medianRun(runs.media);
  const empty = medianRun(runs.empty);
  const http = medianRun(runs.http);
  // Its time is the engine's pace; its CPU is the figure, so the median is of CPU.
  const paced = runs.paced.length > 0 ? medianRun(runs.paced.map((r) => ({ ms: r.cpuMs }))) : undefined;
  const floorMs = Math.max(http.ms, empty.ms);
  return {
    ...media,
    floor: {
      ms: floorMs,
      httpMs: http.ms,
      httpCpuMs: http.cpuMs,
      ...(paced ? { pacedHttpCpuMs: paced.ms } : {}),
      hostMs: empty.ms,
      sumMs: http.ms + empty.ms,
      httpRequests: http.requests,
      httpBytesReceived: http.bytes,
      bound: http.ms > empty.ms ? "http" : "host",
    },
    ratio: media.ms / floorMs,
    ratioToSum: media.ms / (http.ms + empty.ms),
    runsMs: {
      media: runs.media.map((r) => ms(r.ms)),
      empty: runs.empty.map((r) => ms(r.ms)),
      http: runs.http.map((r) => ms(r.ms)),
    },
    empty,
  };
}

/** Start-up of each provider, interleaved, after one warm-up run each (the file cache). */
async function measureStartups(
  opts: Options,
  kinds: Kinds,
  first: Record<Kind, Registration>,
): Promise<BenchResults["startup"]> {
  log(`\nstart-up: ${opts.startupRuns} runs each, spawn of the host to the first Check answered`);
  // No request is made before the first Check answers: the emulator is not needed.
  const settings = settingsFor("http://127.0.0.1:1");
  const once = (kind: Kind) => measureStartup(kinds[kind].pwd, settings, first[kind]);
  const runs: Record<Kind, StartupRun[]> = { media: [], empty: [] };
  await once("media");
  await once("empty");
  for (let i = 0; i < opts.startupRuns; i++) {
    runs.media.push(await once("media"));
    runs.empty.push(await once("empty"));
  }
  const media = startupSummary(runs.media);
  const empty = startupSummary(runs.empty);
  return { media, empty, ratio: media.medianFirstCheckMs / empty.medianFirstCheckMs };
}

function startupSummary(r: StartupRun[]) {
  return {
    runs: r.map((x) => ({
      portMs: ms(x.portMs),
      configureMs: ms(x.configureMs),
      firstCheckMs: ms(x.firstCheckMs),
    })),
    medianPortMs: median(r.map((x) => x.portMs)),
    medianFirstCheckMs: median(r.map((x) => x.firstCheckMs)),
  };
}

function buildResults(
  opts: Options,
  dynamic: DynamicDoor | undefined,
  plugin: PluginDoorResults | undefined,
  problems: string[],
): BenchResults {
  const first = dynamic?.main.at(-1)?.first;
  const smallStack = dynamic?.small;
  const bytes = (r: Registration | undefined) => Buffer.byteLength(r?.provider ?? "");
  const results: BenchResults = {
    date: new Date().toISOString(),
    node: process.version,
    machine: machine(),
    pulumiSdk: readVersion("@pulumi/pulumi"),
    undici: readVersion("undici"),
    settings: {
      sizes: opts.sizes,
      latencyMs: opts.latencyMs,
      maxConcurrentPerBot: opts.botLimit,
      emulatorThread: opts.emulatorThread,
      clientConnections: CLIENT_CONNECTIONS,
      startupRuns: opts.startupRuns,
      repeat: opts.sizes.map((n) => opts.repeat ?? defaultRepeat(n)),
    },
    providerBytes: { media: bytes(first?.media), empty: bytes(first?.empty) },
    ...(dynamic ? { startup: dynamic.startup } : {}),
    sizes: dynamic?.main.map((s) => s.size) ?? [],
    ...(smallStack ? { smallStack: { latencyMs: SMALL_STACK.latencyMs, ...smallStack } } : {}),
    ...(plugin ? { plugin } : {}),
    targets: [],
    problems,
    totalMs: 0,
  };
  results.targets = targets(results);
  return results;
}

function machine(): BenchResults["machine"] {
  return {
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}

/** Writes latest.json, table.md and scale.svg, and prints the details and the table. */
function writeResults(out: string, results: BenchResults): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeOutputs(out, results);
  log(`wrote latest.json, table.md, scale.svg in ${out} (${(results.totalMs / 1000).toFixed(1)} s in all)`);
}

/** Prints the details and the table, and writes table.md and scale.svg into `out`. */
function writeOutputs(out: string, results: BenchResults): void {
  writeFileSync(path.join(out, "scale.svg"), renderSvg(results));
  const table = renderTable(results);
  writeFileSync(path.join(out, "table.md"), table);
  log(`\n${renderConsole(results)}`);
  log(`\n${table}`);
}

function readVersion(pkg: string): string {
  try {
    return JSON.parse(readFileSync(path.join(REPO_ROOT, "node_modules", pkg, "package.json"), "utf8"))
      .version;
  } catch {
    return "unknown";
  }
}

export function fmtCalls(calls: Record<string, number>): string {
  return Object.entries(calls)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}
