import { type AuthType, credentialSummary, type MediaProviderConfig } from "../types/media-provider";
import { compact } from "../utils/compact";
import type { CheckedInputs } from "./inputs";

/** The outputs of a MediaProvider: its inputs as stored, plus what is handy to see without the secrets. */
export interface Outputs extends Omit<CheckedInputs, "type"> {
  /** `www`, or whatever the API holds after a refresh. */
  type: string;
  /** `basic` or `bearer`: visible where `config` is a secret. */
  authType: AuthType;
  /** The Basic username, visible where `config` is a secret. */
  username?: string;
}

/** Outputs for `inputs`, with the type and config the API holds. */
export function toOutputs(
  inputs: CheckedInputs,
  live: { type: string; config: MediaProviderConfig },
): Outputs {
  return compact({
    ...inputs,
    type: live.type,
    config: live.config,
    ...credentialSummary(live.config),
  });
}

/** The inputs part of outputs: what a program declaring the provider has after `check`. */
export function inputsOf(outputs: Outputs): Omit<Outputs, "authType" | "username"> {
  const { authType: _a, username: _u, ...inputs } = outputs;
  return inputs;
}
