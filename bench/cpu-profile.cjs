"use strict";
// Preloaded by `--cpu-prof <dir>` (NODE_OPTIONS="--require …") into each provider host, plugin and
// program run: Node 20 refuses `--cpu-prof` in NODE_OPTIONS, so the profile is taken through the
// inspector and written as `<host|plugin|program>-<pid>.cpuprofile` when the process exits or the driver
// stops it (SIGTERM). Open it in Chrome DevTools.
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const dir = process.env.BENCH_CPU_PROF;
const entry = process.argv[1] ?? "";
const role = entry.includes("dynamic-provider")
  ? "host"
  : entry.includes("run-plugin")
    ? "plugin"
    : "program";
const session = new inspector.Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 500 });
session.post("Profiler.start");

let written = false;
function write() {
  if (written) return;
  written = true;
  // In-thread inspector sessions answer synchronously, so the profile is written before exit.
  session.post("Profiler.stop", (err, result) => {
    if (!err)
      fs.writeFileSync(path.join(dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
}
process.once("exit", write);
process.once("SIGTERM", () => {
  write();
  process.exit(0);
});
