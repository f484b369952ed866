import type { dynamic } from "@pulumi/pulumi";
import { PROVIDER_TYPE } from "../types/media-provider";
import { connect } from "./connection";
import { toOutputs } from "./outputs";
import { validState } from "./state";

/**
 * Refresh: the provider as the API holds it now, so drift shows in the next diff and `up`
 * restores the declared values; an empty id when it is gone, so it is dropped and recreated.
 * When the list holds the name more than once, the first copy is shown.
 */
export async function read(id: string, props: unknown): Promise<dynamic.ReadResult> {
  const state = validState(id, props, "refresh");
  const [live] = await (await connect(state)).view.get(state.name);
  if (!live) return { id: "", props: {} };
  const { authType: _a, username: _u, ...inputs } = state;
  return { id, props: toOutputs({ ...inputs, type: PROVIDER_TYPE }, live) };
}
