/** Renders bench results: console details, the Markdown table for the README, and the SVG plot. */
import { PHASES } from "./phases";
import { pluginConsole, pluginTable } from "./plugin-report";
import type { BenchResults, PluginPhaseResult, SizeResult } from "./results";
import { smallStackTrips } from "./targets";

const ms = (v: number) => String(Math.round(v));
const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const calls = (c: Record<string, number>) =>
  Object.entries(c)
    .filter(([k]) => k !== "Handshake" && k !== "Configure")
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "none";
const verdict = (pass: boolean | null) => (pass === null ? "n/a" : pass ? "PASS" : "MISS");

/** Where the time goes, per phase: host start, CPU of the host and of this process, gRPC calls. */
export function renderConsole(r: BenchResults): string {
  return [
    ...(r.startup ? [dynamicConsole(r, r.startup)] : []),
    ...(r.plugin ? [pluginConsole(r.plugin)] : []),
  ].join("\n");
}

function dynamicConsole(r: BenchResults, s: NonNullable<BenchResults["startup"]>): string {
  const lines = ["details (MediaProvider | empty provider):"];
  for (const size of allSizes(r)) {
    lines.push(
      `  N = ${size.n}${size === r.smallStack ? ` (small stack, ${r.smallStack.latencyMs} ms latency)` : ""}`,
    );
    for (const phase of PHASES) {
      const p = size.phases[phase];
      lines.push(
        `    ${phase.padEnd(8)} host start ${ms(p.hostStartMs)} | ${ms(p.empty.hostStartMs)} ms; ` +
          `host CPU ${ms(p.hostCpuMs)} | ${ms(p.empty.hostCpuMs)} ms; ` +
          `bench CPU (driver + emulator) ${ms(p.benchCpuMs)} | ${ms(p.empty.benchCpuMs)} ms; ` +
          `rounds ${p.runsMs.media.join("/")} | ${p.runsMs.empty.join("/")} (HTTP ${p.runsMs.http.join("/")}) ms; ` +
          `429s ${p.concurrency429}; HTTP floor ${p.floor.httpRequests.total} req ${kib(p.floor.httpBytesReceived)} KiB; ` +
          `gRPC ${calls(p.calls)}`,
      );
    }
  }
  lines.push(
    `  start-up medians: port ${ms(s.media.medianPortMs)} | ${ms(s.empty.medianPortMs)} ms, ` +
      `first Check ${ms(s.media.medianFirstCheckMs)} | ${ms(s.empty.medianFirstCheckMs)} ms`,
  );
  return lines.join("\n");
}

/** The Markdown the README shows: one row per N and phase, the targets, and the fixed costs. */
export function renderTable(r: BenchResults): string {
  const out = [
    ...(r.startup ? dynamicTable(r, r.startup) : []),
    ...(r.plugin ? pluginTable(r) : []),
    "| target | measured | limit | |",
    "| --- | --- | --- | --- |",
  ];
  for (const t of r.targets) out.push(`| ${t.name} | ${t.value} | ${t.limit} | ${verdict(t.pass)} |`);
  out.push("");
  return out.join("\n");
}

/** The dynamic resource's rows, and its fixed costs. */
function dynamicTable(r: BenchResults, startup: NonNullable<BenchResults["startup"]>): string[] {
  const m = r.machine;
  const out = [
    `Measured ${r.date.slice(0, 10)} on ${m.cpus} × ${m.cpuModel}, Node ${r.node}, @pulumi/pulumi ${r.pulumiSdk}; ` +
      `emulator (on a ${r.settings.emulatorThread} thread of the bench process) latency ${r.settings.latencyMs} ms per request, ` +
      `${r.settings.maxConcurrentPerBot} in flight per bot; ` +
      `client ${r.settings.clientConnections} connections. Floor = max(the necessary writes sent straight with undici, ` +
      "the same gRPC calls answered by an empty dynamic provider through the same host); " +
      `times are the median of ${[...new Set(r.settings.repeat)].join("/")} rounds. ` +
      "Host CPU: the provider host's CPU time (all its threads, from /proc), the empty provider's, and the " +
      "HTTP floor's own process (loading undici, the requests, V8's compilation after them).",
    "",
    "| N | phase | time (ms) | floor (ms): HTTP / host | × floor | × (HTTP + host) | GET | POST | DELETE | KiB received | host CPU (ms): ours / empty / HTTP alone |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const size of allSizes(r)) {
    const n = size === r.smallStack ? `${size.n} at ${r.smallStack.latencyMs} ms` : String(size.n);
    for (const phase of PHASES) {
      const p = size.phases[phase];
      out.push(
        `| ${n} | ${phase} | ${ms(p.ms)} | ${ms(p.floor.ms)}: ${ms(p.floor.httpMs)} / ${ms(p.floor.hostMs)} | ` +
          `${p.ratio.toFixed(2)} | ${p.ratioToSum.toFixed(2)} | ${p.requests.GET} | ${p.requests.POST} | ${p.requests.DELETE} | ${kib(p.bytesReceived)} | ` +
          `${ms(p.hostCpuMs)} / ${ms(p.empty.hostCpuMs)} / ${ms(p.floor.httpCpuMs)} |`,
      );
    }
  }
  const state = r.sizes.at(-1);
  out.push(
    "",
    `\`__provider\`: ${r.providerBytes.media} bytes (empty provider: ${r.providerBytes.empty}). ` +
      (state
        ? `State: ${Math.round(state.stateBytesPerResource.media)} bytes per resource at N=${state.n} ` +
          `(empty provider: ${Math.round(state.stateBytesPerResource.empty)}). `
        : "") +
      `Start-up to the first Check answered: ${ms(startup.media.medianFirstCheckMs)} ms ` +
      `(empty provider: ${ms(startup.empty.medianFirstCheckMs)} ms; median of ${r.settings.startupRuns}). ` +
      "Phase times include the program run through the SDK's program runner (up, rerun, update)." +
      (r.smallStack ? ` Rows "N at ${r.smallStack.latencyMs} ms": ${smallStackNote(r.smallStack)}` : ""),
    "",
  );
  return out;
}

/** The sizes of the main profile, then the small stack (when it ran). */
function allSizes(r: BenchResults) {
  return r.smallStack ? [...r.sizes, r.smallStack] : r.sizes;
}

/** The small stack's `up` in round trips of latency over the host floor (issue 25 holds it ≤ 5.0). */
function smallStackNote(s: NonNullable<BenchResults["smallStack"]>): string {
  const up = s.phases.up;
  const { steps, phase } = smallStackTrips(s);
  const provider =
    steps === undefined
      ? ""
      : ` From the first registration to the last step: ${ms(up.stepsMs ?? 0)} ms against ` +
        `${ms(up.empty.stepsMs ?? 0)} ms with the empty provider, ${steps.toFixed(1)} round trips.`;
  return (
    `small stack (${s.n} providers, ${s.latencyMs} ms added to every emulator request); ` +
    `up takes ${ms(up.ms)} ms = host floor ${ms(up.floor.hostMs)} ms + ${phase.toFixed(1)} round trips.${provider}`
  );
}

interface Series {
  label: string;
  color: string;
  dashed: boolean;
  points: [number, number][];
}

const PLOTTED = [
  { phase: "up", color: "#1f6fb4" },
  { phase: "refresh", color: "#c8372d" },
  { phase: "destroy", color: "#2e8b3e" },
] as const;

/** Wall time of up, refresh and destroy, each with its floor, and the provider host's CPU in up with the empty provider's. */
function plotSeries(r: BenchResults): Series[] {
  const line = (label: string, color: string, dashed: boolean, y: (s: SizeResult) => number): Series => ({
    label,
    color,
    dashed,
    points: r.sizes.map((s) => [s.n, y(s)]),
  });
  return [
    ...PLOTTED.flatMap(({ phase, color }) => [
      line(phase, color, false, (s) => s.phases[phase].ms),
      line(`${phase} floor`, color, true, (s) => s.phases[phase].floor.ms),
    ]),
    line("up host CPU", "#7a4fb0", false, (s) => s.phases.up.hostCpuMs),
    line("empty host CPU", "#7a4fb0", true, (s) => s.phases.up.empty.hostCpuMs),
    ...pluginSeries(r),
  ].filter((s) => s.points.length > 0);
}

/** The plugin door's up and destroy, each with its floor. */
function pluginSeries(r: BenchResults): Series[] {
  const sizes = r.plugin?.sizes ?? [];
  return PLUGIN_PLOTTED.flatMap(({ phase, color }) => {
    const at = (y: (p: PluginPhaseResult) => number): [number, number][] =>
      sizes.flatMap((s) => {
        const p = s.phases[phase];
        return p ? [[s.n, y(p)] as [number, number]] : [];
      });
    return [
      { label: `plugin ${phase}`, color, dashed: false, points: at((p) => p.ms) },
      { label: `plugin ${phase} floor`, color, dashed: true, points: at((p) => p.floor.ms) },
    ];
  });
}

const PLUGIN_PLOTTED = [
  { phase: "up", color: "#0b8a8a" },
  { phase: "destroy", color: "#b07a0b" },
] as const;

/** Time against N for up, refresh and destroy, each with its floor, and host CPU; log scales on both axes. */
export function renderSvg(r: BenchResults): string {
  const W = 680;
  const H = 540;
  const pad = { left: 70, right: 190, top: 40, bottom: 55 };
  const series = plotSeries(r);
  const xs = [...new Set(series.flatMap((s) => s.points.map(([x]) => x)))];
  const ys = series.flatMap((s) => s.points.map(([, y]) => Math.max(y, 1)));
  const [x0, x1] = logRange(Math.min(...xs), Math.max(...xs), 1.6);
  const [y0, y1] = logRange(Math.min(...ys), Math.max(...ys), 1.4);
  const px = (x: number) => pad.left + ((Math.log10(x) - x0) / (x1 - x0)) * (W - pad.left - pad.right);
  const py = (y: number) =>
    H - pad.bottom - ((Math.log10(Math.max(y, 1)) - y0) / (y1 - y0)) * (H - pad.top - pad.bottom);
  const f = (v: number) => v.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${pad.left}" y="22" font-size="14" font-weight="bold">MediaProvider and the plugin: time and host CPU against N (log–log), with floors</text>`,
  ];
  // Axes and grid.
  const left = pad.left;
  const right = W - pad.right;
  const top = pad.top;
  const bottom = H - pad.bottom;
  parts.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="black"/>`);
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="black"/>`);
  for (const x of xs) {
    parts.push(`<line x1="${f(px(x))}" y1="${top}" x2="${f(px(x))}" y2="${bottom}" stroke="#e4e4e4"/>`);
    parts.push(`<line x1="${f(px(x))}" y1="${bottom}" x2="${f(px(x))}" y2="${bottom + 5}" stroke="black"/>`);
    parts.push(
      `<text x="${f(px(x))}" y="${bottom + 19}" text-anchor="middle">${x.toLocaleString("en-US")}</text>`,
    );
  }
  for (const y of ticks125(10 ** y0, 10 ** y1)) {
    parts.push(`<line x1="${left}" y1="${f(py(y))}" x2="${right}" y2="${f(py(y))}" stroke="#e4e4e4"/>`);
    parts.push(`<line x1="${left - 5}" y1="${f(py(y))}" x2="${left}" y2="${f(py(y))}" stroke="black"/>`);
    parts.push(
      `<text x="${left - 8}" y="${f(py(y) + 4)}" text-anchor="end">${y.toLocaleString("en-US")}</text>`,
    );
  }
  parts.push(
    `<text x="${(left + right) / 2}" y="${H - 14}" text-anchor="middle">N (resources)</text>`,
    `<text transform="translate(18 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">ms (wall time; CPU time for host CPU)</text>`,
  );
  // Series.
  for (const s of series) {
    const d = s.points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${f(px(x))} ${f(py(y))}`).join(" ");
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : "";
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const [x, y] of s.points) {
      parts.push(
        `<circle cx="${f(px(x))}" cy="${f(py(y))}" r="3.5" fill="${s.dashed ? "white" : s.color}" stroke="${s.color}" stroke-width="1.5"><title>${s.label} N=${x}: ${Math.round(y)} ms</title></circle>`,
      );
    }
  }
  // Legend.
  const lx = right + 20;
  series.forEach((s, i) => {
    const y = top + 10 + i * 22;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : "";
    parts.push(
      `<line x1="${lx}" y1="${y}" x2="${lx + 30}" y2="${y}" stroke="${s.color}" stroke-width="2"${dash}/>`,
    );
    parts.push(`<text x="${lx + 38}" y="${y + 4}">${s.label}</text>`);
  });
  const notes = [
    "floor = max(HTTP writes with",
    "undici, empty provider or plugin)",
    "",
    `${r.settings.latencyMs} ms latency, ${r.settings.clientConnections} connections`,
    `${r.date.slice(0, 10)}, Node ${r.node},`,
    `${r.machine.cpus} CPUs; median of rounds`,
  ];
  const notesTop = top + 10 + series.length * 22 + 10;
  notes.forEach((note, i) => {
    if (note)
      parts.push(`<text x="${lx}" y="${notesTop + i * 13}" font-size="10" fill="#555">${note}</text>`);
  });
  parts.push("</svg>", "");
  return parts.join("\n");
}

/** [log10 lo, log10 hi] around [min, max], widened by `factor` (and made non-empty). */
function logRange(min: number, max: number, factor: number): [number, number] {
  return [Math.log10(min / factor), Math.log10(max * factor)];
}

/** 1-2-5 ticks between lo and hi (1-2-3-5 over a short range). */
function ticks125(lo: number, hi: number): number[] {
  const out: number[] = [];
  const steps = Math.log10(hi / lo) < 1.5 ? [1, 2, 3, 5] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of steps) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}
