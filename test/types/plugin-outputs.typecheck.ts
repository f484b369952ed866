/**
 * The plugin's schema of the outputs (`outputsSchema`, which makes the package schema's resource
 * properties) names exactly the outputs `toOutputs` gives; this fails the typecheck step when they
 * disagree.
 */
import type { z } from "zod";
import type { outputsSchema } from "../../src/plugin/outputs-schema";
import type { Outputs } from "../../src/provider/outputs";

/** `true` when A and B name the same keys. */
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;

export const outputsAgree: SameKeys<z.output<typeof outputsSchema>, Outputs> = true;
