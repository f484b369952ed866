/**
 * One phase of the benchmark run through the e2e driver's `Stack` (fresh provider host, Handshake,
 * Configure, the program run through the SDK's program runner for up-like phases, then the engine's
 * calls), with what it cost: wall time, gRPC calls, requests and bytes
 * at the emulator, and CPU time of the provider host (sampled from /proc) and of this process
 * (the driver's gRPC client and the emulator).
 */
import type { EmulatorCounters } from "../src/emulator";
import type { Registration, RunOptions, Stack, Summary } from "../test/e2e/driver";
import type { BenchEmulator } from "./emulator-thread";

export const PHASES = ["up", "rerun", "refresh", "update", "destroy"] as const;
export type PhaseName = (typeof PHASES)[number];

export interface Requests {
  GET: number;
  POST: number;
  DELETE: number;
  total: number;
}

export interface PhaseRun {
  ms: number;
  /** Spawn of the host until it printed its port. */
  hostStartMs: number;
  /**
   * The provider's part of an `up` with steps: from the first registration reaching the monitor to
   * the end of the last step (Checks, the provider's loading, the steps), without the program's
   * own start. Undefined when the phase ran no step after a registration.
   */
  stepsMs?: number;
  calls: Record<string, number>;
  requests: Requests;
  /** Response body bytes the emulator sent (what the client received). */
  bytesReceived: number;
  /** 429s the emulator's per-bot concurrency limit answered. */
  concurrency429: number;
  /** CPU time of the provider host process (approximate: sampled every 20 ms). */
  hostCpuMs: number;
  /** CPU time of this process: the driver's gRPC client and the emulator. */
  benchCpuMs: number;
  /** What the driver reported, e.g. "created 1000". */
  outcome: string;
  failures: string[];
}

export function requestsOf({ byMethod, requests }: EmulatorCounters): Requests {
  return { GET: byMethod.GET ?? 0, POST: byMethod.POST ?? 0, DELETE: byMethod.DELETE ?? 0, total: requests };
}

/** Runs `phase` on `stack`; `program` is what the program gets in up-like phases (which version of it). */
export async function runPhase(
  stack: Stack,
  emulator: BenchEmulator,
  phase: PhaseName,
  program: RunOptions,
): Promise<{ run: PhaseRun; registrations: Registration[]; createStartsMs: number[] }> {
  await emulator.resetCounters();
  stack.resetCalls();
  const sampler = new HostCpuSampler(stack);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const op =
    phase === "refresh" ? stack.refresh() : phase === "destroy" ? stack.destroy() : stack.up(program);
  const s = await op;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const hostCpuMs = sampler.stop();
  const counters = await emulator.counters();
  const run: PhaseRun = {
    ms,
    hostStartMs: s.hostStartMs,
    ...stepsWindow(s),
    calls: { ...stack.calls },
    requests: requestsOf(counters),
    bytesReceived: counters.bytesSent,
    concurrency429: counters.faults.concurrency429,
    hostCpuMs,
    benchCpuMs: (cpu.user + cpu.system) / 1000,
    outcome: outcome(s),
    failures: s.failed.slice(0, 3).map((f) => `${f.op} ${f.urn.split("::").pop()}: ${f.message}`),
  };
  return { run, registrations: s.registrations, createStartsMs: createStarts(s) };
}

function stepsWindow(s: Summary): { stepsMs?: number } {
  const first = Math.min(...s.registrations.map((r) => r.receivedAt));
  const last = Math.max(...s.steps.map((step) => step.endedAt));
  return Number.isFinite(first) && Number.isFinite(last) ? { stepsMs: last - first } : {};
}

/**
 * When the driver asked the host for each create step, in ms after the first: the pace at which the
 * engine hands the provider its writes, which the paced HTTP floor repeats.
 */
function createStarts(s: Summary): number[] {
  const starts = s.steps.filter((step) => step.kind === "create").map((step) => step.startedAt);
  const first = Math.min(...starts);
  return starts.map((t) => t - first).sort((a, b) => a - b);
}

function outcome(s: Summary): string {
  const parts = Object.entries({
    created: s.created.length,
    same: s.same.length,
    updated: s.updated.length,
    replaced: s.replaced.length,
    refreshed: s.refreshed.length,
    dropped: s.dropped.length,
    deleted: s.deleted.length,
    failed: s.failed.length,
  })
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  return parts.join(", ") || "nothing";
}

/** The count a phase must report for each resource, e.g. up -> created. */
export const EXPECTED_OUTCOME: Record<PhaseName, string> = {
  up: "created",
  rerun: "same",
  refresh: "refreshed",
  update: "updated",
  destroy: "deleted",
};

/** Follows the host of the operation that starts after construction and keeps its last CPU reading. */
class HostCpuSampler {
  private readonly before: number | undefined;
  private readonly last = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly stack: Stack) {
    this.before = stack.host?.proc.pid;
    this.timer = setInterval(() => this.sample(), 20);
  }

  private sample(): void {
    const host = this.stack.host;
    const pid = host?.proc.pid;
    if (!host || pid === undefined || pid === this.before) return;
    const ms = host.cpuMs();
    if (ms !== undefined) this.last.set(pid, ms);
  }

  stop(): number {
    clearInterval(this.timer);
    return [...this.last.values()].reduce((a, b) => a + b, 0);
  }
}
