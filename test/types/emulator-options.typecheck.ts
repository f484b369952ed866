/**
 * The emulator's public option types are plain interfaces (no zod in its `.d.ts`); these lines fail
 * the typecheck step when an interface and the schema that checks it at run time disagree.
 */
import type { z } from "zod";
import type { EmulatorFaults, EmulatorOptions } from "../../src/emulator";
import type { faultsSchema } from "../../src/emulator/faults";
import type { emulatorOptionsSchema } from "../../src/emulator/options";
import type { Same } from "./same";

export const faultsAgree: Same<EmulatorFaults, z.input<typeof faultsSchema>> = true;
export const optionsAgree: Same<EmulatorOptions, z.input<typeof emulatorOptionsSchema>> = true;
