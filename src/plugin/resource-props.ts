import { RESOURCE_INPUTS, RESOURCE_OUTPUTS, secretProps } from "./json-schemas";
import type { Props } from "./wire-values";

/** A MediaProvider's inputs for a response: credentials and token wrapped as secrets (see `secretProps`). */
export function inputsProps(inputs: Props, alsoSecret: ReadonlySet<string>): Props {
  return secretProps(inputs, RESOURCE_INPUTS, alsoSecret);
}

/** A MediaProvider's outputs for a response: credentials and token wrapped as secrets (see `secretProps`). */
export function outputsProps(outputs: Props, alsoSecret: ReadonlySet<string>): Props {
  return secretProps(outputs, RESOURCE_OUTPUTS, alsoSecret);
}
