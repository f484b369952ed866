/** The shape of bench/results/latest.json. */
import type { PhaseName, PhaseRun, Requests } from "./phases";
import type { PluginPhaseRun } from "./plugin-phases";

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
  /** The dynamic resource's start-up; absent when only the plugin door ran (as are its sizes). */
  startup?: { media: StartupSummary; empty: StartupSummary; ratio: number };
  sizes: SizeResult[];
  /** Issue 13's small stack: a few providers, every emulator request `latencyMs` later. */
  smallStack?: SizeResult & { latencyMs: number };
  /** The plugin door (issue 25); absent when only the dynamic resource ran. */
  plugin?: PluginDoorResults;
  targets: Target[];
  problems: string[];
  totalMs: number;
}

/** One phase of the plugin door at one N: the plugin's run of median time against its floors. */
export interface PluginPhaseResult extends PluginPhaseRun {
  requests: Requests;
  bytesReceived: number;
  /** Medians over the rounds of the plugin's and the empty plugin's CPU, and of paced undici's. */
  cpu: { plugin: number; empty: number; pacedHttp?: number };
  floor: {
    /** The larger of the two floors below. */
    ms: number;
    /** Undici sending the necessary requests over the client's connections, at the engine's pace where paced. */
    httpMs: number;
    httpCpuMs: number;
    /** The empty plugin started the same way and sent the same calls. */
    emptyMs: number;
    bound: "http" | "empty";
  };
  /** Time over the floor (medians). */
  ratio: number;
  runsMs: { plugin: number[]; empty: number[]; http: number[] };
  /** The empty plugin's run of median time. */
  empty: PluginPhaseRun;
}

export interface PluginSizeResult {
  n: number;
  phases: Partial<Record<PhaseName, PluginPhaseResult>>;
}

export interface PluginStartup {
  runs: { portMs: number; firstCheckMs: number }[];
  medianPortMs: number;
  medianFirstCheckMs: number;
}

export interface PluginDoorResults {
  /** Rounds per N, in the order of the bench's sizes. */
  repeat: number[];
  sizes: PluginSizeResult[];
  smallStack?: PluginSizeResult & { latencyMs: number };
  startup: { plugin: PluginStartup; empty: PluginStartup; ratio: number };
}
