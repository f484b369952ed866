/** The shape of bench/results/latest.json. */
import type { PhaseName, PhaseRun, Requests } from "./phases";

export interface PhaseResult extends PhaseRun {
  floor: {
    /** The larger of the two floors below. */
    ms: number;
    /** (a) the necessary writes straight with undici. */
    httpMs: number;
    /** CPU time of (a) in a process of its own: loading undici, the requests, compilation after them. */
    httpCpuMs: number;
    /**
     * CPU time of (a) sent at the pace the engine asked the provider for each write (up only): the
     * process wakes for each request, as a provider does, where (a) sends them back to back.
     */
    pacedHttpCpuMs?: number;
    /** (b) the same gRPC calls answered by the empty provider through the same host. */
    hostMs: number;
    /** (a) + (b): the two floors one after the other, no overlap at all. */
    sumMs: number;
    httpRequests: Requests;
    httpBytesReceived: number;
    bound: "http" | "host";
  };
  /** Wall time over the floor. */
  ratio: number;
  /** Wall time over (a) + (b). */
  ratioToSum: number;
  /** Wall times of every round (the figures above are from the median one). */
  runsMs: { media: number[]; empty: number[]; http: number[] };
  /** The empty provider's run of the same phase (floor b), in full. */
  empty: PhaseRun;
}

export interface SizeResult {
  n: number;
  stateBytesPerResource: { media: number; empty: number };
  phases: Record<PhaseName, PhaseResult>;
}

export interface StartupSummary {
  runs: { portMs: number; configureMs: number; firstCheckMs: number }[];
  medianPortMs: number;
  medianFirstCheckMs: number;
}

export interface Target {
  name: string;
  value: string;
  limit: string;
  /** null when not measured in this run. */
  pass: boolean | null;
}

export interface BenchResults {
  date: string;
  node: string;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string; memoryGiB: number };
  pulumiSdk: string;
  undici: string;
  settings: {
    sizes: number[];
    latencyMs: number;
    maxConcurrentPerBot: number;
    emulatorThread: "worker" | "main";
    clientConnections: number;
    startupRuns: number;
    /** Rounds per N, in the order of `sizes`. */
    repeat: number[];
  };
  providerBytes: { media: number; empty: number };
  startup: { media: StartupSummary; empty: StartupSummary; ratio: number };
  sizes: SizeResult[];
  /** Issue 13's small stack: a few providers, every emulator request `latencyMs` later. */
  smallStack?: SizeResult & { latencyMs: number };
  targets: Target[];
  problems: string[];
  totalMs: number;
}
