/**
 * Runs floor (a), the necessary requests sent straight with undici, in a process of its own
 * (http-floor-process.cjs) so that its CPU time is its own, and reads what the emulator saw.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { CLIENT_CONNECTIONS, FLOOR_BOT, TOKEN } from "./bench-setup";
import type { BenchEmulator } from "./emulator-thread";
import type { HttpFloorRun, HttpFloorTarget } from "./http-floor";
import { type PhaseName, type Requests, requestsOf } from "./phases";

const execFileAsync = promisify(execFile);

export interface HttpRun {
  ms: number;
  /** CPU time of the floor's own process: loading undici, the requests, V8's compilation after them. */
  cpuMs: number;
  requests: Requests;
  bytes: number;
}

/** The floor of `phase` for `n` resources, at once or request i at `startsMs[i]`. */
export async function runHttpFloor(
  emulator: BenchEmulator,
  phase: PhaseName,
  n: number,
  startsMs?: number[],
): Promise<HttpRun> {
  await emulator.resetCounters();
  const target: HttpFloorTarget = {
    url: emulator.url,
    botId: FLOOR_BOT,
    token: TOKEN,
    connections: CLIENT_CONNECTIONS,
  };
  const { stdout } = await execFileAsync(process.execPath, [
    path.join(__dirname, "http-floor-process.cjs"),
    JSON.stringify([target, phase, n, startsMs]),
  ]);
  const http = JSON.parse(stdout) as HttpFloorRun & { cpuMs: number };
  const counters = await emulator.counters();
  return { ms: http.ms, cpuMs: http.cpuMs, requests: requestsOf(counters), bytes: counters.bytesSent };
}
