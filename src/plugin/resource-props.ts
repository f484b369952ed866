import { RESOURCE_INPUTS, RESOURCE_OUTPUTS, secretProps } from "./json-schemas";
import type { Struct } from "./proto";
import { type Props, toStruct } from "./wire-values";

/** A MediaProvider's inputs for a response: credentials and token wrapped as secrets (see `secretProps`). */
export function inputsStruct(inputs: Props, alsoSecret: ReadonlySet<string>): Struct {
  return toStruct(secretProps(inputs, RESOURCE_INPUTS, alsoSecret));
}

/** A MediaProvider's outputs for a response: credentials and token wrapped as secrets (see `secretProps`). */
export function outputsStruct(outputs: Props, alsoSecret: ReadonlySet<string>): Struct {
  return toStruct(secretProps(outputs, RESOURCE_OUTPUTS, alsoSecret));
}
