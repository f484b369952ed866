/**
 * The emulator's public option types are plain interfaces (no zod in its `.d.ts`); these lines fail
 * the typecheck step when an interface and the schema that checks it at run time disagree.
 */
import type { z } from "zod";
import type { EmulatorFaults, EmulatorOptions } from "../../src/emulator";
import type { faultsSchema } from "../../src/emulator/faults";
import type { emulatorOptionsSchema } from "../../src/emulator/options";

/** `true` when A and B accept the same values and name the same keys (optional ones included). */
type Same<A, B> = [A, keyof A] extends [B, keyof B]
  ? [B, keyof B] extends [A, keyof A]
    ? true
    : false
  : false;

export const faultsAgree: Same<EmulatorFaults, z.input<typeof faultsSchema>> = true;
export const optionsAgree: Same<EmulatorOptions, z.input<typeof emulatorOptionsSchema>> = true;
