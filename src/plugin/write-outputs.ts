import type { CheckedInputs } from "../provider/inputs";
import { toOutputs } from "../provider/outputs";
import { mediaProviderConfigSchema } from "../types/media-provider-schema";
import { UNKNOWN } from "../utils/pulumi-wire";
import { outputsProps } from "./resource-props";
import type { Props, Received } from "./wire-values";

/**
 * The outputs a create or update would give, in a preview where nothing is sent: the checked
 * inputs, with what is derived from the config (`authType`, `username`) unknown while the config is.
 */
export function previewOutputs(inputs: Props): Props {
  const config = mediaProviderConfigSchema.safeParse(inputs.config);
  if (!config.success) return { ...inputs, authType: UNKNOWN, username: UNKNOWN };
  const checked = inputs as unknown as CheckedInputs;
  return { ...toOutputs(checked, { type: checked.type, config: config.data }) };
}

/**
 * The outputs of a create or update of the checked inputs `received` (what Check returned, which
 * the engine sends): in a preview the outputs it would give, with nothing sent; else `write`'s.
 */
export async function writeOutputs(
  received: Received,
  preview: boolean,
  write: (inputs: CheckedInputs) => Promise<Props>,
): Promise<Props> {
  const outputs = preview
    ? previewOutputs(received.props)
    : await write(received.props as unknown as CheckedInputs);
  return outputsProps(outputs, received.secretKeys);
}
