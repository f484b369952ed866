"use strict";
// Floor (a) in a process of its own (argv[2]: JSON [target, phase, n, startsMs?]), so that its CPU time can be
// set beside the provider host's: loading undici, sending the necessary requests, and 1 s after
// them for V8's background compilation of undici's llhttp WebAssembly, which the host pays too.
// Prints {"ms", "requests", "cpuMs"}.
require("./ts-hook.cjs");
const { httpFloor } = require("./http-floor.ts");

const [target, phase, n, startsMs] = JSON.parse(process.argv[2]);
const cpu0 = process.cpuUsage();
httpFloor(target, phase, n, startsMs).then(
  (run) =>
    setTimeout(() => {
      const cpu = process.cpuUsage(cpu0);
      process.stdout.write(JSON.stringify({ ...run, cpuMs: (cpu.user + cpu.system) / 1000 }));
    }, 1_000),
  (err) => {
    console.error(err?.stack ?? String(err));
    process.exitCode = 1;
  },
);
