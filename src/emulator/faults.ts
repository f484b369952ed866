import { z } from "zod";
import { EmulatorError } from "../errors/emulator-error";
import { describeIssues } from "./validation";

/** What a `script` step makes the emulator do with one request. */
export const SCRIPT_STEPS = ["ok", "429", "503", "drop", "dropAfterWrite", "lostWrite"] as const;

/** One step of a fault script: `ok` answers normally, the others inject that fault. */
export type ScriptStep = (typeof SCRIPT_STEPS)[number];

/** A fault the emulator injected, as counted in `EmulatorCounters.faults`. */
export type FaultKind = Exclude<ScriptStep, "ok"> | "concurrency429";

/** What to do with one provision request: answer normally, or inject a fault. */
export type FaultDecision = ScriptStep | "concurrency429";

const share = z.number().min(0).max(1);

/** The rules {@link EmulatorFaults} must follow (test/types checks that the two agree). */
export const faultsSchema = z
  .strictObject({
    /** Delay in milliseconds added before answering (or dropping). */
    latencyMs: z.number().min(0).optional(),
    /** Share of requests answered `429`. */
    rate429: share.optional(),
    /** Share of requests answered `503`. */
    rate503: share.optional(),
    /** Share of requests whose socket is destroyed before the request is applied. */
    dropRate: share.optional(),
    /** Share of POST/DELETE requests applied, then their socket destroyed without an answer. */
    dropAfterWriteRate: share.optional(),
    /**
     * Share of POST/DELETE requests answered 200 but not applied: what a concurrent writer does to
     * a bot whose providers are stored together (its read-modify-write overwrites ours).
     */
    lostWriteRate: share.optional(),
    /** `Retry-After` value on `429`/`503` answers; fractions allowed so tests stay fast. Default 0. */
    retryAfterSeconds: z.number().min(0).optional(),
    /** Requests in flight for one bot beyond this are answered `429`. */
    maxConcurrentPerBot: z.number().int().min(1).optional(),
    /** Seed of the PRNG behind the rates. Default 1. */
    seed: z.number().int().optional(),
    /** Steps consumed one per request before the random faults apply. */
    script: z.array(z.enum(SCRIPT_STEPS)).optional(),
  })
  .refine(
    (f) =>
      (f.rate429 ?? 0) +
        (f.rate503 ?? 0) +
        (f.dropRate ?? 0) +
        (f.dropAfterWriteRate ?? 0) +
        (f.lostWriteRate ?? 0) <=
      1,
    "the shares of 429, 503, drop, dropAfterWrite and lostWrite must add up to at most 1",
  );

/**
 * Fault settings of the emulator: all optional, all off by default. They apply to the provision
 * endpoints only. The shares of 429, 503, drop, dropAfterWrite and lostWrite add up to at most 1.
 */
export interface EmulatorFaults {
  /** Delay in milliseconds added before answering (or dropping). */
  latencyMs?: number | undefined;
  /** Share (0 to 1) of requests answered `429`. */
  rate429?: number | undefined;
  /** Share (0 to 1) of requests answered `503`. */
  rate503?: number | undefined;
  /** Share (0 to 1) of requests whose socket is destroyed before the request is applied. */
  dropRate?: number | undefined;
  /** Share (0 to 1) of POST/DELETE requests applied, then their socket destroyed without an answer. */
  dropAfterWriteRate?: number | undefined;
  /**
   * Share (0 to 1) of POST/DELETE requests answered 200 but not applied: what a concurrent writer
   * does to a bot whose providers are stored together (its read-modify-write overwrites ours).
   */
  lostWriteRate?: number | undefined;
  /** `Retry-After` value on `429`/`503` answers; fractions allowed so tests stay fast. Default 0. */
  retryAfterSeconds?: number | undefined;
  /** Requests in flight for one bot beyond this whole number are answered `429`. */
  maxConcurrentPerBot?: number | undefined;
  /** Seed (a whole number) of the PRNG behind the rates. Default 1. */
  seed?: number | undefined;
  /** Steps consumed one per request before the random faults apply. */
  script?: ScriptStep[] | undefined;
}

const DEFAULT_SEED = 1;

/**
 * Decides, request by request, which fault to inject. The decision is made when a request arrives,
 * so a script is consumed in arrival order even when bodies or latency finish out of order.
 */
export class FaultInjector {
  #faults: z.output<typeof faultsSchema> = {};
  #script: ScriptStep[] = [];
  #random: () => number = mulberry32(DEFAULT_SEED);

  /** @param faults initial settings; they are validated like {@link FaultInjector.set}. */
  constructor(faults: EmulatorFaults = {}) {
    this.set(faults);
  }

  /**
   * Replaces all settings (omitted ones turn off), restarts the PRNG from the seed and the script
   * from its first step. Throws a readable error when a setting breaks {@link faultsSchema}.
   */
  set(faults: EmulatorFaults): void {
    const result = faultsSchema.safeParse(faults);
    if (!result.success) {
      throw new EmulatorError(
        "ERR_WHATSAPP_EMULATOR_OPTIONS",
        `invalid faults: ${describeIssues(result.error.issues)}`,
      );
    }
    const parsed = result.data;
    this.#faults = parsed;
    this.#script = [...(parsed.script ?? [])];
    this.#random = mulberry32(parsed.seed ?? DEFAULT_SEED);
  }

  /** Delay added before answering, in milliseconds. */
  get latencyMs(): number {
    return this.#faults.latencyMs ?? 0;
  }

  /** `Retry-After` value sent with `429` and `503`. */
  get retryAfterSeconds(): number {
    return this.#faults.retryAfterSeconds ?? 0;
  }

  /**
   * Picks the fault for one request: the concurrency limit first, then the next script step, then
   * one PRNG draw split into bands (drop, 429, 503, and for writes dropAfterWrite and lostWrite) so each rate is
   * the exact share of requests it names.
   */
  decide(isWrite: boolean, inFlightForBot: number): FaultDecision {
    const f = this.#faults;
    if (f.maxConcurrentPerBot !== undefined && inFlightForBot > f.maxConcurrentPerBot)
      return "concurrency429";
    const step = this.#script.shift();
    if (step !== undefined) return step;
    const draw = this.#random();
    let edge = f.dropRate ?? 0;
    if (draw < edge) return "drop";
    edge += f.rate429 ?? 0;
    if (draw < edge) return "429";
    edge += f.rate503 ?? 0;
    if (draw < edge) return "503";
    if (!isWrite) return "ok";
    edge += f.dropAfterWriteRate ?? 0;
    if (draw < edge) return "dropAfterWrite";
    edge += f.lostWriteRate ?? 0;
    return draw < edge ? "lostWrite" : "ok";
  }
}

/** Small, fast, seedable PRNG (mulberry32); uniform in [0, 1). Not for cryptography. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
