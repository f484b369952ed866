"use strict";
// The emulator on a worker thread of the benchmark process: its own event loop, so the driver's
// long synchronous bursts (building and reading thousands of gRPC messages) do not delay its
// answers. Started by emulator-thread.ts with the emulator options as workerData; answers
// `{ id, method, args }` messages with `{ id, result }` or `{ id, error }`.
const path = require("node:path");
const { parentPort, workerData } = require("node:worker_threads");

require("./ts-hook.cjs");
const { startEmulator } = require(path.join(__dirname, "../src/emulator"));

startEmulator(workerData).then(
  (emulator) => {
    parentPort.on("message", async ({ id, method, args }) => {
      try {
        const result = await emulator[method](...args);
        parentPort.postMessage({ id, result });
      } catch (err) {
        parentPort.postMessage({ id, error: String(err?.stack ?? err) });
      }
    });
    parentPort.postMessage({ ready: emulator.url });
  },
  (err) => parentPort.postMessage({ failed: String(err?.stack ?? err) }),
);
