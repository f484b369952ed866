/**
 * The goals the benchmark checks (a missed one is reported, not an error): the scale goals at
 * N = 1,000 and the small stack's latency, as issue 17 set them against floors that count only
 * what must be done.
 */
import type { BenchResults, PhaseResult, SizeResult, Target } from "./results";

const ms = (v: number) => Math.round(v);
const x = (v: number) => `${v.toFixed(2)}×`;

export function targets(r: BenchResults): Target[] {
  const at = r.sizes.find((s) => s.n === 1000);
  return [
    ...(at ? scaleTargets(at) : notRun()),
    rerunTarget(r),
    startupTarget(r),
    ...(r.smallStack ? [smallStackTarget(r.smallStack)] : []),
  ];
}

const SCALE_LIMITS = {
  refreshLists: { name: "refresh of 1,000: list requests", limit: "≤ 20" },
  upRequests: { name: "up of 1,000 new: requests", limit: "≤ 1,100" },
  upTime: { name: "up of 1,000 new: time / floor", limit: "≤ 1.35×" },
  destroyTime: { name: "destroy of 1,000: time / floor", limit: "≤ 1.5×" },
  hostCpu: {
    name: "up of 1,000: provider host CPU above the empty provider's / CPU of the same requests sent by undici alone",
    limit: "≤ 1.5",
  },
};

function notRun(): Target[] {
  return Object.values(SCALE_LIMITS).map((t) => ({ ...t, value: "not run (needs N=1000)", pass: null }));
}

function scaleTargets(at: SizeResult): Target[] {
  const { up, refresh, destroy } = at.phases;
  return [
    { ...SCALE_LIMITS.refreshLists, value: String(refresh.requests.GET), pass: refresh.requests.GET <= 20 },
    { ...SCALE_LIMITS.upRequests, value: String(up.requests.total), pass: up.requests.total <= 1100 },
    { ...SCALE_LIMITS.upTime, value: timeOverFloor(up), pass: up.ratio <= 1.35 },
    { ...SCALE_LIMITS.destroyTime, value: timeOverFloor(destroy), pass: destroy.ratio <= 1.5 },
    hostCpuTarget(up),
  ];
}

/**
 * The ratio of the medians, and beside it each round's own ratio (its three runs are interleaved, so
 * that drift in the machine hits them alike): how far one round can be from another.
 */
function timeOverFloor(p: PhaseResult): string {
  const { media, empty, http } = p.runsMs;
  const rounds = media.map((m, i) => (m / Math.max(empty[i] ?? 0, http[i] ?? 0)).toFixed(2));
  const each = rounds.length > 1 ? `; rounds ${rounds.join(", ")}` : "";
  return `${x(p.ratio)} (${ms(p.ms)} / ${ms(p.floor.ms)} ms${each})`;
}

/**
 * The provider's own CPU (the host's, less the empty provider's through the same host) per CPU of
 * the necessary requests sent by undici alone: undici is the design's client, so its cost is the unit.
 * The target's unit is those requests sent back to back; beside it, for information only, the ratio
 * against the same requests sent at the engine's pace (one wake-up per request, as a provider has).
 */
function hostCpuTarget(up: PhaseResult): Target {
  const empty = up.empty.hostCpuMs;
  const http = up.floor.httpCpuMs;
  const own = up.hostCpuMs - empty;
  const ratio = own / http;
  const paced = up.floor.pacedHttpCpuMs;
  return {
    ...SCALE_LIMITS.hostCpu,
    value:
      `${ratio.toFixed(2)} ((${ms(up.hostCpuMs)} − ${ms(empty)}) / ${ms(http)} ms)` +
      (paced === undefined
        ? ""
        : `; paced as the engine asked: ${(own / paced).toFixed(2)} (/ ${ms(paced)} ms)`),
    pass: ratio <= 1.5,
  };
}

function rerunTarget(r: BenchResults): Target {
  const reruns = r.sizes.map((s) => ({ n: s.n, req: s.phases.rerun.requests }));
  return {
    name: "rerun with no change: writes, requests",
    value: reruns.map(({ n, req }) => `N=${n}: ${req.POST + req.DELETE}, ${req.total}`).join("; "),
    limit: "0 writes, ≤ 20 requests",
    pass: reruns.every(({ req }) => req.POST + req.DELETE === 0 && req.total <= 20),
  };
}

function startupTarget(r: BenchResults): Target {
  const { media, empty } = r.startup;
  return {
    name: "start-up to first Check: MediaProvider / empty",
    value: `${x(r.startup.ratio)} (${ms(media.medianFirstCheckMs)} / ${ms(empty.medianFirstCheckMs)} ms)`,
    limit: "≤ 1.5×",
    pass: r.startup.ratio <= 1.5,
  };
}

/**
 * The small stack's `up` in round trips of latency over the host floor, two ways: the provider's
 * part (first registration to last step, both providers) and the whole phase (with the program).
 */
export function smallStackTrips(s: NonNullable<BenchResults["smallStack"]>): {
  steps?: number;
  phase: number;
} {
  const up = s.phases.up;
  const phase = (up.ms - up.floor.hostMs) / s.latencyMs;
  const media = up.stepsMs;
  const empty = up.empty.stepsMs;
  return media === undefined || empty === undefined
    ? { phase }
    : { steps: (media - empty) / s.latencyMs, phase };
}

function smallStackTarget(s: NonNullable<BenchResults["smallStack"]>): Target {
  const { steps, phase } = smallStackTrips(s);
  const up = s.phases.up;
  return {
    name: `up of ${s.n} at ${s.latencyMs} ms: round trips over the host floor (registration to last step)`,
    value:
      steps === undefined
        ? "not measured"
        : `${steps.toFixed(1)} (${ms(up.stepsMs ?? 0)} / ${ms(up.empty.stepsMs ?? 0)} ms); whole phase ${phase.toFixed(1)}`,
    limit: "≤ 4.0",
    pass: steps === undefined ? null : steps <= 4.0,
  };
}
