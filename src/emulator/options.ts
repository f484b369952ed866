import { z } from "zod";
import { faultsSchema } from "./faults";

/** Options of {@link startEmulator}, with the rules they must follow. */
export const emulatorOptionsSchema = z.strictObject({
  /** Port to listen on; 0 (the default) picks a free one. */
  port: z.number().int().min(0).max(65535).optional(),
  /** Address to bind; default `127.0.0.1`. */
  host: z.string().min(1).optional(),
  /** Bot id → bearer token. Each bot has its own provider list. */
  bots: z.record(
    z.string().min(1, "a bot id must not be empty"),
    z.string().regex(/^\S+$/, "a token must be non-empty and contain no whitespace"),
  ),
  /** JSON file to load state from at start and save every change to. */
  statePath: z.string().min(1).optional(),
  /** Faults to inject from the start. They apply to the provision endpoints only. */
  faults: faultsSchema.optional(),
  /** Time allowed for one media download by the messages endpoint, in ms. Default 10,000. */
  mediaTimeoutMs: z.number().int().min(1).max(120_000).optional(),
});

/** Options of {@link startEmulator}; see {@link emulatorOptionsSchema} for each field. */
export type EmulatorOptions = z.input<typeof emulatorOptionsSchema>;
