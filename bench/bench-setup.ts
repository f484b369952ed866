/**
 * What both doors of the benchmark share: the emulator's bots and token, the client's connections
 * (and so the HTTP floor's), and the emulator started for a latency and closed after.
 */
import { type BenchEmulator, type EmulatorThread, startBenchEmulator } from "./emulator-thread";

/** The bot MediaProvider (and the plugin) writes to. */
export const BOT = "bot";
/** The HTTP floor's own bot, so the provider's bot is untouched. */
export const FLOOR_BOT = "floor";
export const TOKEN = "bench-Token-5c1e9a";
/** The provider's default client limit (DEFAULT_MAX_CONCURRENCY), used by the HTTP floor too. */
export const CLIENT_CONNECTIONS = 8;

export interface EmulatorSettings {
  botLimit: number;
  emulatorThread: EmulatorThread;
}

export async function withEmulator<T>(
  settings: EmulatorSettings,
  latencyMs: number,
  fn: (emulator: BenchEmulator) => Promise<T>,
): Promise<T> {
  const emulator = await startBenchEmulator(
    {
      bots: { [BOT]: TOKEN, [FLOOR_BOT]: TOKEN },
      faults: { latencyMs, maxConcurrentPerBot: settings.botLimit },
    },
    settings.emulatorThread,
  );
  try {
    return await fn(emulator);
  } finally {
    await emulator.close();
  }
}
