/** The checks after each phase: the driver's outcome, and what the emulator's bot holds. */
import { BOT } from "./bench-setup";
import type { BenchEmulator } from "./emulator-thread";
import { EXPECTED_OUTCOME, type PhaseName, type PhaseRun } from "./phases";
import { password, providerName } from "./programs";

/** The driver reported the phase's outcome for every resource. */
export function verify(who: string, phase: PhaseName, n: number, run: PhaseRun): string[] {
  const expected = `${EXPECTED_OUTCOME[phase]} ${n}`;
  if (run.outcome === expected) return [];
  return [`${who} ${phase} N=${n}: expected "${expected}", got "${run.outcome}" ${run.failures.join(" | ")}`];
}

/** The bot holds what the phase should have left. */
export async function verifyEmulator(
  emulator: BenchEmulator,
  phase: PhaseName,
  n: number,
): Promise<string[]> {
  const held = await emulator.providers(BOT);
  if (phase === "destroy") return held.length === 0 ? [] : [`destroy N=${n}: ${held.length} providers left`];
  const version = phase === "update" ? "v2" : "v1";
  const byName = new Map(held.map((p) => [p.name, p]));
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const p = byName.get(providerName(i))?.config;
    if (!p || !("basic" in p) || p.basic.password !== password(version, i)) wrong++;
  }
  const extra = held.length - n;
  return wrong === 0 && extra === 0
    ? []
    : [`${phase} N=${n}: ${wrong} providers missing or not at ${version}, ${extra} extra`];
}

/** Two runs made the same gRPC calls, method by method. */
export function sameCalls(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}
