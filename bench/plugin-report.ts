/** Renders the plugin door's results: console details and its rows of the Markdown table. */
import { PHASES } from "./phases";
import type { BenchResults, PluginDoorResults, PluginSizeResult } from "./results";

const ms = (v: number) => String(Math.round(v));

/** The sizes of the main profile, then the small stack (when it ran). */
function allSizes(r: PluginDoorResults): PluginSizeResult[] {
  return r.smallStack ? [...r.sizes, r.smallStack] : r.sizes;
}

const sizeLabel = (r: PluginDoorResults, size: PluginSizeResult) =>
  size === r.smallStack ? `${size.n} at ${r.smallStack.latencyMs} ms` : String(size.n);

/** Where the time goes, per phase: the plugin's and the empty plugin's start, whole run and CPU. */
export function pluginConsole(r: PluginDoorResults): string {
  const lines = ["plugin door details (plugin | empty plugin):"];
  for (const size of allSizes(r)) {
    lines.push(`  N = ${sizeLabel(r, size)}`);
    for (const phase of PHASES) {
      const p = size.phases[phase];
      if (!p) continue;
      lines.push(
        `    ${phase.padEnd(8)} port ${ms(p.portMs)} | ${ms(p.empty.portMs)} ms; spawn to end ${ms(p.wholeMs)} | ${ms(p.empty.wholeMs)} ms; ` +
          `CPU (medians) ${ms(p.cpu.plugin)} | ${ms(p.cpu.empty)} ms` +
          (p.cpu.pacedHttp === undefined ? "" : `, undici paced ${ms(p.cpu.pacedHttp)} ms`) +
          `; rounds ${p.runsMs.plugin.join("/")} | ${p.runsMs.empty.join("/")} (HTTP ${p.runsMs.http.join("/")}) ms`,
      );
    }
  }
  const s = r.startup;
  lines.push(
    `  start-up medians: port ${ms(s.plugin.medianPortMs)} | ${ms(s.empty.medianPortMs)} ms, ` +
      `first Check ${ms(s.plugin.medianFirstCheckMs)} | ${ms(s.empty.medianFirstCheckMs)} ms`,
  );
  return lines.join("\n");
}

/** The plugin door's rows: one per N and phase, then its start-up. */
export function pluginTable(results: BenchResults): string[] {
  const r = results.plugin as PluginDoorResults;
  const out = [
    "Plugin door: the plugin folder of the packed package started as RunPlugin starts it, driven as the engine drives it " +
      "(Check one at a time, each Create or Update sent as soon as its Check and Diff answered; every Read and Delete at once). " +
      "Time: from the first resource call to the last answer. Floor = max(the necessary requests sent by undici over " +
      `${results.settings.clientConnections} connections, at the engine's pace for up and update; the same calls answered by an empty plugin started the same way); ` +
      `times are the median of ${[...new Set(r.repeat)].join("/")} rounds. CPU: the plugin process's whole CPU time (start-up included), median of the rounds.`,
    "",
    "| N | phase | time (ms) | floor (ms): HTTP / empty plugin | × floor | GET | POST | DELETE | CPU (ms): plugin / empty / undici |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const size of allSizes(r)) {
    for (const phase of PHASES) {
      const p = size.phases[phase];
      if (!p) continue;
      out.push(
        `| ${sizeLabel(r, size)} | ${phase} | ${ms(p.ms)} | ${ms(p.floor.ms)}: ${ms(p.floor.httpMs)} / ${ms(p.floor.emptyMs)} | ` +
          `${p.ratio.toFixed(2)} | ${p.requests.GET} | ${p.requests.POST} | ${p.requests.DELETE} | ` +
          `${ms(p.cpu.plugin)} / ${ms(p.cpu.empty)} / ${ms(p.cpu.pacedHttp ?? p.floor.httpCpuMs)} |`,
      );
    }
  }
  const s = r.startup;
  out.push(
    "",
    `Plugin start, spawn to the port line: ${ms(s.plugin.medianPortMs)} ms (empty plugin: ${ms(s.empty.medianPortMs)} ms); ` +
      `to the first Check answered after the engine's loading calls: ${ms(s.plugin.medianFirstCheckMs)} ms ` +
      `(empty plugin: ${ms(s.empty.medianFirstCheckMs)} ms); median of ${s.plugin.runs.length}.`,
    "",
  );
  return out;
}
