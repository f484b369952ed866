/**
 * The emulator as the benchmark uses it: in this process, by default on a worker thread (see
 * emulator-worker.cjs), or on the main thread with `--emulator-thread main`. On the main thread
 * it shares the event loop with the driver, whose synchronous bursts (hundreds of ms while it
 * builds 1,000 gRPC requests) then hold back its answers, which a real API would not do.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { EmulatorCounters, EmulatorOptions } from "../src/emulator";
import type { MediaProviderEntry } from "../src/types/media-provider";

export interface BenchEmulator {
  readonly url: string;
  counters(): Promise<EmulatorCounters>;
  resetCounters(): Promise<void>;
  providers(botId: string): Promise<MediaProviderEntry[]>;
  close(): Promise<void>;
}

export type EmulatorThread = "worker" | "main";

export async function startBenchEmulator(
  options: EmulatorOptions,
  thread: EmulatorThread,
): Promise<BenchEmulator> {
  if (thread === "main") {
    const { startEmulator } = await import("../src/emulator");
    const emulator = await startEmulator(options);
    return {
      url: emulator.url,
      counters: async () => emulator.counters(),
      resetCounters: async () => emulator.resetCounters(),
      providers: async (botId) => emulator.providers(botId),
      close: () => emulator.close(),
    };
  }
  const worker = new Worker(path.join(__dirname, "emulator-worker.cjs"), { workerData: options });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (m: { ready?: string; failed?: string }) =>
      m.ready ? resolve(m.ready) : reject(new Error(`emulator worker: ${m.failed}`)),
    );
  });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.on("message", (m: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error !== undefined) w?.reject(new Error(`emulator worker: ${m.error}`));
    else w?.resolve(m.result);
  });
  const call = <T>(method: string, ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, method, args });
    });
  return {
    url,
    counters: () => call("counters"),
    resetCounters: () => call("resetCounters"),
    providers: (botId) => call("providers", botId),
    close: async () => {
      await call("close");
      await worker.terminate();
    },
  };
}
