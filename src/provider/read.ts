import type { dynamic } from "@pulumi/pulumi";
import { ProviderNotFoundError } from "../errors/provider-not-found-error";
import { PROVIDER_TYPE } from "../types/media-provider";
import { connect } from "./connection";
import { inputsOf, toOutputs } from "./outputs";
import { parseResourceId } from "./provider-id";
import { validState } from "./state";

/**
 * Refresh: the provider as the API holds it now, so drift shows in the next diff and `up`
 * restores the declared values; an empty id when it is gone, so it is dropped and recreated.
 * When the list holds the name more than once, the first copy is shown.
 *
 * Import and lookup (`pulumi import`, `MediaProvider.get`): with no state at all, only the id
 * `<botId>/<name>`, the provider is read through the stack config's endpoint and token, and its
 * outputs are what a program declaring it would hold after `check` (bot, name, type, config); one
 * the bot does not hold is an error that names it, not an empty result the engine would keep.
 */
export async function read(id: string, props: unknown): Promise<dynamic.ReadResult> {
  const refresh = holdsState(props);
  const declared = refresh ? inputsOf(validState(id, props, "refresh")) : parseResourceId(id);
  const [live] = await (await connect(declared)).view.get(declared.name);
  if (!live && !refresh) throw new ProviderNotFoundError(declared.botId, declared.name);
  if (!live) return { id: "", props: {} };
  return { id, props: toOutputs({ ...declared, type: PROVIDER_TYPE, config: live.config }, live) };
}

/** Whether `props` hold a stored state; the dynamic provider's own `__provider` key does not count. */
function holdsState(props: unknown): boolean {
  return (
    props === null || typeof props !== "object" || Object.keys(props).some((key) => key !== "__provider")
  );
}
