/**
 * `npm run bench`: MediaProvider at scale, driven the way `pulumi up` drives it (the packed package,
 * the program run under mocks, the SDK's dynamic-provider host over gRPC, HTTP to the emulator),
 * each phase set against its floor. See bench/README.md.
 *
 *   node bench/run.cjs [--sizes 100,1000] [--startup-runs 7] [--latency 5] [--bot-limit 16] [--keep]
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  capture,
  type InstalledProgram,
  installFixture,
  installProgram,
  REPO_ROOT,
  type RegisteredResource,
  runDir,
  Stack,
  type StackSettings,
  writeProgram,
} from "../test/e2e/driver";
import { type BenchEmulator, type EmulatorThread, startBenchEmulator } from "./emulator-thread";
import { httpFloor } from "./http-floor";
import {
  EXPECTED_OUTCOME,
  PHASES,
  type PhaseName,
  type PhaseRun,
  type Requests,
  requestsOf,
  runPhase,
} from "./phases";
import { EMPTY_PROGRAM, MEDIA_PROGRAM, password, providerName } from "./programs";
import { renderConsole, renderSvg, renderTable } from "./report";
import type { BenchResults, PhaseResult, SizeResult, Target } from "./results";
import { measureStartup, median, type StartupRun } from "./startup";

const BOT = "bot";
const FLOOR_BOT = "floor";
const TOKEN = "bench-Token-5c1e9a";
/** The provider's default client limit (DEFAULT_MAX_CONCURRENCY), used by the HTTP floor too. */
const CLIENT_CONNECTIONS = 8;
const RESULTS_DIR = path.join(REPO_ROOT, "bench/results");

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
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    sizes: [100, 1000],
    startupRuns: 7,
    latencyMs: 5,
    botLimit: 16,
    keep: false,
    emulatorThread: "worker",
    renderOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const int = (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag}: not a whole number: ${v}`);
      return n;
    };
    if (flag === "--sizes") opts.sizes = value().split(",").map(int);
    else if (flag === "--startup-runs") opts.startupRuns = Math.max(1, int(value()));
    else if (flag === "--latency") opts.latencyMs = int(value());
    else if (flag === "--bot-limit") opts.botLimit = Math.max(1, int(value()));
    else if (flag === "--keep") opts.keep = true;
    else if (flag === "--render-only") opts.renderOnly = true;
    else if (flag === "--repeat") opts.repeat = Math.max(1, int(value()));
    else if (flag === "--emulator-thread") {
      const v = value();
      if (v !== "worker" && v !== "main") throw new Error("--emulator-thread is worker or main");
      opts.emulatorThread = v;
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (opts.sizes.some((n) => n < 1)) throw new Error("--sizes must all be at least 1");
  return opts;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const ms = (v: number) => Math.round(v);

interface HttpRun {
  ms: number;
  requests: Requests;
  bytes: number;
}

/** The run of median time (the lower middle one for an even count). */
function medianRun<T extends { ms: number }>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const run = sorted[(sorted.length - 1) >> 1];
  if (!run) throw new Error("no runs");
  return run;
}

export async function main(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (opts.renderOnly) {
    const results: BenchResults = JSON.parse(readFileSync(path.join(RESULTS_DIR, "latest.json"), "utf8"));
    writeOutputs(results);
    return 0;
  }
  const started = performance.now();
  if (!existsSync(path.join(REPO_ROOT, "dist/provider/index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm run bench does)");
  }
  const keepRunDir = opts.keep || process.env.E2E_RUN_DIR !== undefined;
  const emulator = await startBenchEmulator(
    {
      bots: { [BOT]: TOKEN, [FLOOR_BOT]: TOKEN },
      faults: { latencyMs: opts.latencyMs, maxConcurrentPerBot: opts.botLimit },
    },
    opts.emulatorThread,
  );
  try {
    return await bench(opts, emulator, started);
  } finally {
    await emulator.close();
    if (keepRunDir) log(`program folders kept in ${runDir()}`);
    else rmSync(runDir(), { recursive: true, force: true });
  }
}

async function bench(opts: Options, emulator: BenchEmulator, started: number): Promise<number> {
  log(
    `bench: sizes ${opts.sizes.join(", ")}; emulator latency ${opts.latencyMs} ms, ` +
      `${opts.botLimit} requests in flight per bot, on the ${opts.emulatorThread} thread; ` +
      `client and HTTP floor ${CLIENT_CONNECTIONS} connections`,
  );
  const t0 = performance.now();
  // The package is already built by `npm run bench`: pack and install it without building again.
  const [mediaProgram, emptyProgram] = await Promise.all([
    installProgram("package", [REPO_ROOT]),
    installFixture("empty-provider"),
  ]);
  log(`installed the packed package and the empty-provider fixture in ${ms(performance.now() - t0)} ms`);

  const settings: StackSettings = {
    project: "bench",
    stack: "dev",
    config: { "whatsapp:botId": BOT, "whatsapp:baseUrl": emulator.url, "whatsapp:apiToken": TOKEN },
    secretKeys: ["whatsapp:apiToken"],
  };
  const kinds = {
    media: { program: mediaProgram, file: writeProgram(mediaProgram.dir, "bench-program.js", MEDIA_PROGRAM) },
    empty: { program: emptyProgram, file: writeProgram(emptyProgram.dir, "bench-program.js", EMPTY_PROGRAM) },
  };
  const capt = async (kind: { program: InstalledProgram; file: string }, n: number, version: string) => {
    const r = await capture(kind.program.dir, kind.file, {
      ...settings,
      env: { BENCH_N: String(n), BENCH_VERSION: version },
      timeoutMs: 30 * 60_000,
    });
    if (r.resources.length !== n) throw new Error(`capture returned ${r.resources.length} of ${n} resources`);
    return r;
  };

  const problems: string[] = [];
  const sizes: SizeResult[] = [];
  let firstResource: { media?: RegisteredResource; empty?: RegisteredResource } = {};
  let providerBytes = { media: 0, empty: 0 };

  for (const n of opts.sizes) {
    log(`\nN = ${n}`);
    // The program run (the engine's equivalent of the capture) is measured apart, not in phases.
    const caps = {
      media: { v1: await capt(kinds.media, n, "v1"), v2: await capt(kinds.media, n, "v2") },
      empty: { v1: await capt(kinds.empty, n, "v1"), v2: await capt(kinds.empty, n, "v2") },
    };
    const captureMs = {
      media: { v1: caps.media.v1.ms, v2: caps.media.v2.ms },
      empty: { v1: caps.empty.v1.ms, v2: caps.empty.v2.ms },
    };
    log(
      `  capture (program under mocks, not in phase times): MediaProvider ${captureMs.media.v1} / ${captureMs.media.v2} ms, ` +
        `empty ${captureMs.empty.v1} / ${captureMs.empty.v2} ms`,
    );
    firstResource = {
      media: firstResource.media ?? caps.media.v1.resources[0],
      empty: firstResource.empty ?? caps.empty.v1.resources[0],
    };
    providerBytes = {
      media: Buffer.byteLength(caps.media.v1.resources[0]?.provider ?? ""),
      empty: Buffer.byteLength(caps.empty.v1.resources[0]?.provider ?? ""),
    };

    const stacks = {
      media: new Stack({ dir: mediaProgram.dir, ...settings }),
      empty: new Stack({ dir: emptyProgram.dir, ...settings }),
    };
    const stateBytesPerResource = { media: 0, empty: 0 };
    const repeat = opts.repeat ?? (n > 1000 ? 1 : 3);
    const runs = Object.fromEntries(
      PHASES.map((phase) => [
        phase,
        { media: [] as PhaseRun[], empty: [] as PhaseRun[], http: [] as HttpRun[] },
      ]),
    ) as Record<PhaseName, { media: PhaseRun[]; empty: PhaseRun[]; http: HttpRun[] }>;
    // Each round runs every phase, and ends with nothing left, so the next round starts afresh.
    for (let rep = 1; rep <= repeat; rep++) {
      for (const phase of PHASES) {
        const version = phase === "update" ? "v2" : "v1";
        // Interleaved (MediaProvider, empty provider, HTTP floor) so drift in the machine hits all three.
        const media = await runPhase(stacks.media, emulator, phase, caps.media[version].resources);
        problems.push(
          ...verify("MediaProvider", phase, n, media),
          ...(await verifyEmulator(emulator, phase, n)),
        );
        if (phase === "up") stateBytesPerResource.media = Buffer.byteLength(stacks.media.stateJson()) / n;

        const empty = await runPhase(stacks.empty, emulator, phase, caps.empty[version].resources);
        problems.push(...verify("empty provider", phase, n, empty));
        if (empty.requests.total > 0) problems.push(`empty provider sent ${empty.requests.total} requests`);
        if (phase === "up") stateBytesPerResource.empty = Buffer.byteLength(stacks.empty.stateJson()) / n;
        if (!sameCalls(media.calls, empty.calls)) {
          problems.push(
            `${phase} N=${n}: gRPC calls differ: MediaProvider ${fmtCalls(media.calls)} vs empty ${fmtCalls(empty.calls)}`,
          );
        }

        await emulator.resetCounters();
        const http = await httpFloor(
          { url: emulator.url, botId: FLOOR_BOT, token: TOKEN, connections: CLIENT_CONNECTIONS },
          phase,
          n,
        );
        const counters = await emulator.counters();
        runs[phase].media.push(media);
        runs[phase].empty.push(empty);
        runs[phase].http.push({ ms: http.ms, requests: requestsOf(counters), bytes: counters.bytesSent });
        log(
          `  ${`${phase} ${rep}/${repeat}`.padEnd(12)} ${ms(media.ms)} ms (HTTP floor ${ms(http.ms)}, host floor ${ms(empty.ms)})  ` +
            `GET ${media.requests.GET} POST ${media.requests.POST} DELETE ${media.requests.DELETE}  ` +
            `${(media.bytesReceived / 1024).toFixed(1)} KiB  [${media.outcome}]`,
        );
      }
    }
    // Per phase: the MediaProvider run and the empty-provider run of median time, the median HTTP floor.
    const phases = {} as Record<PhaseName, PhaseResult>;
    for (const phase of PHASES) {
      const media = medianRun(runs[phase].media);
      const empty = medianRun(runs[phase].empty);
      const http = medianRun(runs[phase].http);
      const floorMs = Math.max(http.ms, empty.ms);
      phases[phase] = {
        ...media,
        floor: {
          ms: floorMs,
          httpMs: http.ms,
          hostMs: empty.ms,
          sumMs: http.ms + empty.ms,
          httpRequests: http.requests,
          httpBytesReceived: http.bytes,
          bound: http.ms > empty.ms ? "http" : "host",
        },
        ratio: media.ms / floorMs,
        ratioToSum: media.ms / (http.ms + empty.ms),
        runsMs: {
          media: runs[phase].media.map((r) => ms(r.ms)),
          empty: runs[phase].empty.map((r) => ms(r.ms)),
          http: runs[phase].http.map((r) => ms(r.ms)),
        },
        empty,
      };
    }
    sizes.push({ n, captureMs, stateBytesPerResource, phases });
  }

  log(`\nstart-up: ${opts.startupRuns} runs each, spawn of the host to the first Check answered`);
  const runs: { media: StartupRun[]; empty: StartupRun[] } = { media: [], empty: [] };
  const first = firstResource;
  if (!first.media || !first.empty) throw new Error("no captured resource for the start-up runs");
  await measureStartup(mediaProgram.dir, settings, first.media); // warm the file cache
  await measureStartup(emptyProgram.dir, settings, first.empty);
  for (let i = 0; i < opts.startupRuns; i++) {
    runs.media.push(await measureStartup(mediaProgram.dir, settings, first.media));
    runs.empty.push(await measureStartup(emptyProgram.dir, settings, first.empty));
  }
  const startupSummary = (r: StartupRun[]) => ({
    runs: r.map((x) => ({
      portMs: ms(x.portMs),
      configureMs: ms(x.configureMs),
      firstCheckMs: ms(x.firstCheckMs),
    })),
    medianPortMs: median(r.map((x) => x.portMs)),
    medianFirstCheckMs: median(r.map((x) => x.firstCheckMs)),
  });
  const startup = {
    media: startupSummary(runs.media),
    empty: startupSummary(runs.empty),
    ratio: 0,
  };
  startup.ratio = startup.media.medianFirstCheckMs / startup.empty.medianFirstCheckMs;

  const results: BenchResults = {
    date: new Date().toISOString(),
    node: process.version,
    machine: {
      platform: `${os.platform()} ${os.release()}`,
      arch: os.arch(),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    },
    pulumiSdk: readVersion("@pulumi/pulumi"),
    undici: readVersion("undici"),
    settings: {
      sizes: opts.sizes,
      latencyMs: opts.latencyMs,
      maxConcurrentPerBot: opts.botLimit,
      emulatorThread: opts.emulatorThread,
      clientConnections: CLIENT_CONNECTIONS,
      startupRuns: opts.startupRuns,
      repeat: opts.sizes.map((n) => opts.repeat ?? (n > 1000 ? 1 : 3)),
    },
    providerBytes,
    startup,
    sizes,
    targets: [],
    problems,
    totalMs: 0,
  };
  results.targets = targets(results);
  results.totalMs = performance.now() - started;

  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(RESULTS_DIR, "scale.svg"), renderSvg(results));
  const table = renderTable(results);
  writeFileSync(path.join(RESULTS_DIR, "table.md"), table);
  log(`\n${renderConsole(results)}`);
  log(`\n${table}`);
  log(
    `wrote bench/results/latest.json, table.md, scale.svg (${(results.totalMs / 1000).toFixed(1)} s in all)`,
  );
  if (problems.length > 0) {
    log(`\n${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return 1;
  }
  return 0;
}

/** Prints the details and the table, and writes table.md and scale.svg. */
function writeOutputs(results: BenchResults): void {
  writeFileSync(path.join(RESULTS_DIR, "scale.svg"), renderSvg(results));
  const table = renderTable(results);
  writeFileSync(path.join(RESULTS_DIR, "table.md"), table);
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

function verify(who: string, phase: PhaseName, n: number, run: PhaseRun): string[] {
  const expected = `${EXPECTED_OUTCOME[phase]} ${n}`;
  if (run.outcome === expected) return [];
  return [`${who} ${phase} N=${n}: expected "${expected}", got "${run.outcome}" ${run.failures.join(" | ")}`];
}

/** The bot holds what the phase should have left. */
async function verifyEmulator(emulator: BenchEmulator, phase: PhaseName, n: number): Promise<string[]> {
  const held = await emulator.providers(BOT);
  if (phase === "destroy") return held.length === 0 ? [] : [`destroy N=${n}: ${held.length} providers left`];
  const version = phase === "update" ? "v2" : "v1";
  const byName = new Map(held.map((p) => [p.name, p]));
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const p = byName.get(providerName(i))?.config;
    if (!p || !("basic" in p) || p.basic.password !== password(version, i)) wrong++;
  }
  const extra = held.length - n;
  return wrong === 0 && extra === 0
    ? []
    : [`${phase} N=${n}: ${wrong} providers missing or not at ${version}, ${extra} extra`];
}

function sameCalls(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

export function fmtCalls(calls: Record<string, number>): string {
  return Object.entries(calls)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
}

function targets(r: BenchResults): Target[] {
  const at = r.sizes.find((s) => s.n === 1000);
  const na = (name: string, limit: string): Target => ({
    name,
    value: "not run (needs N=1000)",
    limit,
    pass: null,
  });
  const list: Target[] = [];
  if (at) {
    const refresh = at.phases.refresh;
    const up = at.phases.up;
    list.push(
      {
        name: "refresh of 1,000: list requests",
        value: String(refresh.requests.GET),
        limit: "≤ 20",
        pass: refresh.requests.GET <= 20,
      },
      {
        name: "up of 1,000 new: requests",
        value: String(up.requests.total),
        limit: "≤ 1,100",
        pass: up.requests.total <= 1100,
      },
      {
        name: "up of 1,000 new: time / floor",
        value: `${up.ratio.toFixed(2)}× (${ms(up.ms)} / ${ms(up.floor.ms)} ms)`,
        limit: "≤ 1.5×",
        pass: up.ratio <= 1.5,
      },
    );
  } else {
    list.push(
      na("refresh of 1,000: list requests", "≤ 20"),
      na("up of 1,000 new: requests", "≤ 1,100"),
      na("up of 1,000 new: time / floor", "≤ 1.5×"),
    );
  }
  const reruns = r.sizes.map((s) => ({ n: s.n, req: s.phases.rerun.requests }));
  list.push({
    name: "rerun with no change: writes, requests",
    value: reruns.map(({ n, req }) => `N=${n}: ${req.POST + req.DELETE}, ${req.total}`).join("; "),
    limit: "0 writes, ≤ 20 requests",
    pass: reruns.every(({ req }) => req.POST + req.DELETE === 0 && req.total <= 20),
  });
  list.push({
    name: "start-up to first Check: MediaProvider / empty",
    value: `${r.startup.ratio.toFixed(2)}× (${ms(r.startup.media.medianFirstCheckMs)} / ${ms(r.startup.empty.medianFirstCheckMs)} ms)`,
    limit: "≤ 1.5×",
    pass: r.startup.ratio <= 1.5,
  });
  return list;
}
