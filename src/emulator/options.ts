import { z } from "zod";
import { botIdProblem } from "../types/bot-id";
import { type EmulatorFaults, faultsSchema } from "./faults";
import { mapSchema } from "./map-schema";

/** Bot id → bearer token; see {@link mapSchema} for why a `Map`. */
const botsSchema = mapSchema(
  z.string().regex(/^\S+$/, "a token must be non-empty and contain no whitespace"),
  botIdProblem,
);

/** The rules {@link EmulatorOptions} must follow (test/types checks that the two agree). */
export const emulatorOptionsSchema = z.strictObject({
  /** Port to listen on; 0 (the default) picks a free one. */
  port: z.number().int().min(0).max(65535).optional(),
  /** Address to bind; default `127.0.0.1`. */
  host: z.string().min(1).optional(),
  /**
   * Bot id → bearer token. Each bot has its own provider list. A bot id must be a path segment as
   * it is: letters, digits and `-._~!$&'()*+,;=:@`, not `.` or `..`.
   */
  bots: botsSchema,
  /** JSON file to load state from at start and save every change to (before answering it). */
  statePath: z.string().min(1).optional(),
  /** Faults to inject from the start. They apply to the provision endpoints only. */
  faults: faultsSchema.optional(),
  /** Time allowed for one media download by the messages endpoint, in ms. Default 10,000. */
  mediaTimeoutMs: z.number().int().min(1).max(120_000).optional(),
});

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port to listen on (0 to 65535); 0, the default, picks a free one. */
  port?: number | undefined;
  /** Address to bind; default `127.0.0.1`. */
  host?: string | undefined;
  /**
   * Bot id → bearer token (non-empty, no whitespace). Each bot has its own provider list. A bot id
   * must be a path segment as it is: letters, digits and `-._~!$&'()*+,;=:@`, not `.` or `..`.
   */
  bots: Record<string, string>;
  /** JSON file to load state from at start and save every change to (before answering it). */
  statePath?: string | undefined;
  /** Faults to inject from the start. They apply to the provision endpoints only. */
  faults?: EmulatorFaults | undefined;
  /** Time allowed for one media download by the messages endpoint, in ms (1 to 120,000). Default 10,000. */
  mediaTimeoutMs?: number | undefined;
}
