/**
 * A local emulator of the Sinch WhatsApp media-provider API, with fault injection, for tests,
 * benchmarks and offline development.
 * @packageDocumentation
 */
export type { EmulatorCounters } from "./counters";
export { type EmulatorFaults, type FaultKind, faultsSchema, SCRIPT_STEPS, type ScriptStep } from "./faults";
export { type EmulatorOptions, emulatorOptionsSchema } from "./options";
export { type Emulator, startEmulator } from "./server";
