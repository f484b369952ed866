import type { dynamic } from "@pulumi/pulumi";
import { PROVIDER_TYPE } from "../types/media-provider";
import { connect } from "./connection";
import type { Outputs } from "./outputs";
import { toOutputs } from "./outputs";

/**
 * Refresh: the provider as the API holds it now, so drift shows in the next diff and `up`
 * restores the declared values; an empty id when it is gone, so it is dropped and recreated.
 */
export async function read(id: string, props: Outputs): Promise<dynamic.ReadResult> {
  const live = await (await connect(props)).view.get(props.name);
  if (!live) return { id: "", props: {} };
  const { authType: _a, username: _u, ...inputs } = props;
  return { id, props: toOutputs({ ...inputs, type: PROVIDER_TYPE }, live) };
}
