/**
 * The plugin door's goals (issue 25), checked and reported, never enforced: at N = 1,000 up ≤ 1.15×
 * its floor, update ≤ 1.2×, destroy ≤ 1.3×, refresh in 1 list, a rerun without writes; the plugin's CPU
 * above the empty plugin's ≤ 1.5× undici's at the engine's pace; the small stack within 3.3 round trips
 * of the empty plugin; spawn to the port line ≤ 1.3× the empty plugin's.
 */
import type { PhaseName } from "./phases";
import type { PluginDoorResults, PluginPhaseResult, Target } from "./results";

const ms = (v: number) => Math.round(v);

const TIME_LIMITS: [PhaseName, number][] = [
  ["up", 1.15],
  ["update", 1.2],
  ["destroy", 1.3],
];

export function pluginTargets(r: PluginDoorResults): Target[] {
  const at = r.sizes.find((s) => s.n === 1000)?.phases;
  return [
    ...TIME_LIMITS.map(([phase, limit]) => timeTarget(phase, limit, at?.[phase])),
    refreshTarget(at?.refresh),
    rerunTarget(r),
    cpuTarget(at?.up),
    smallStackTarget(r.smallStack),
    startupTarget(r.startup),
  ];
}

const notRun = (name: string, limit: string): Target => ({
  name,
  value: "not run (needs N=1000)",
  limit,
  pass: null,
});

/** The ratio of the medians, and each round's own ratio (its runs are interleaved). */
function timeTarget(phase: PhaseName, limit: number, p: PluginPhaseResult | undefined): Target {
  const name = `plugin: ${phase} of 1,000: time / floor`;
  const shown = `≤ ${limit.toFixed(2)}×`;
  if (!p) return notRun(name, shown);
  const { plugin, empty, http } = p.runsMs;
  const rounds = plugin.map((t, i) => (t / Math.max(empty[i] ?? 0, http[i] ?? 0)).toFixed(2));
  return {
    name,
    value: `${p.ratio.toFixed(2)}× (${ms(p.ms)} / ${ms(p.floor.ms)} ms, ${p.floor.bound}; rounds ${rounds.join(", ")})`,
    limit: shown,
    pass: p.ratio <= limit,
  };
}

function refreshTarget(p: PluginPhaseResult | undefined): Target {
  const name = "plugin: refresh of 1,000: list requests";
  if (!p) return notRun(name, "≤ 1");
  return {
    name,
    value: `${p.requests.GET} (${p.requests.total} requests)`,
    limit: "≤ 1",
    pass: p.requests.GET <= 1,
  };
}

function rerunTarget(r: PluginDoorResults): Target {
  const reruns = r.sizes.flatMap((s) => (s.phases.rerun ? [{ n: s.n, req: s.phases.rerun.requests }] : []));
  return {
    name: "plugin: rerun with no change: writes, requests",
    value:
      reruns.map(({ n, req }) => `N=${n}: ${req.POST + req.DELETE}, ${req.total}`).join("; ") || "not run",
    limit: "0 writes",
    pass: reruns.length === 0 ? null : reruns.every(({ req }) => req.POST + req.DELETE === 0),
  };
}

/** The plugin's own CPU (less the empty plugin's, start-up included in both) per CPU of undici paced. */
function cpuTarget(up: PluginPhaseResult | undefined): Target {
  const name =
    "plugin: up of 1,000: plugin CPU above the empty plugin's / CPU of the same requests sent by undici at the engine's pace";
  const paced = up?.cpu.pacedHttp;
  if (!up || paced === undefined) return notRun(name, "≤ 1.5");
  const own = up.cpu.plugin - up.cpu.empty;
  return {
    name,
    value: `${(own / paced).toFixed(2)} ((${ms(up.cpu.plugin)} − ${ms(up.cpu.empty)}) / ${ms(paced)} ms)`,
    limit: "≤ 1.5",
    pass: own / paced <= 1.5,
  };
}

/** The small stack's `up`, first Check to last answer, in round trips over the empty plugin's. */
function smallStackTarget(s: PluginDoorResults["smallStack"]): Target {
  const up = s?.phases.up;
  const name = `plugin: up of ${s?.n ?? 3} at ${s?.latencyMs ?? 100} ms: round trips over the empty plugin`;
  if (!s || !up) return { name, value: "not run", limit: "≤ 3.3", pass: null };
  const trips = (up.ms - up.empty.ms) / s.latencyMs;
  return {
    name,
    value: `${trips.toFixed(1)} (${ms(up.ms)} / ${ms(up.empty.ms)} ms)`,
    limit: "≤ 3.3",
    pass: trips <= 3.3,
  };
}

function startupTarget(s: PluginDoorResults["startup"]): Target {
  return {
    name: "plugin: start to the port line / the empty plugin's",
    value:
      `${s.ratio.toFixed(2)}× (${ms(s.plugin.medianPortMs)} / ${ms(s.empty.medianPortMs)} ms); ` +
      `to the first Check ${ms(s.plugin.medianFirstCheckMs)} / ${ms(s.empty.medianFirstCheckMs)} ms`,
    limit: "≤ 1.30×",
    pass: s.ratio <= 1.3,
  };
}
