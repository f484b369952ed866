import type { dynamic } from "@pulumi/pulumi";
import { z } from "zod";
import { ProviderNotFoundError } from "../errors/provider-not-found-error";
import { PROVIDER_TYPE } from "../types/media-provider";
import { providerNameSchema } from "../types/media-provider-schema";
import { connect } from "./connection";
import { inputsOf, toOutputs } from "./outputs";
import { parseResourceId } from "./provider-id";
import { validState } from "./state";

/**
 * What the engine sends to read a provider it holds no state for (`pulumi import`,
 * `MediaProvider.get`): no properties, or only the dynamic provider's own `__provider`.
 */
const lookupSchema = z.strictObject({ __provider: z.string().optional() });

/** Whether `props` ask for the provider by its id alone. */
export function isLookup(props: unknown): boolean {
  return lookupSchema.safeParse(props).success;
}

/**
 * Refresh: the provider as the API holds it now, so drift shows in the next diff and `up`
 * restores the declared values; an empty id when it is gone, so it is dropped and recreated.
 * When the list holds the name more than once, the first copy is shown.
 *
 * Import and lookup ({@link isLookup}: only the id `<botId>/<name>`): the provider is read through
 * the stack config's endpoint and token; the inputs part of its outputs ({@link inputsOf}) is what
 * a program declaring it holds after `check`, so `check` accepts it and such a program's diff is
 * empty. One the bot does not hold is an error that names it: the dynamic provider host adds
 * `__provider` to every answer, so the engine's read step would keep an empty result as a
 * provider with no outputs.
 */
export async function read(id: string, props: unknown): Promise<dynamic.ReadResult> {
  const lookup = isLookup(props);
  const declared = lookup ? lookedUp(id) : inputsOf(validState(id, props, "refresh"));
  const [live] = await (await connect(declared)).view.get(declared.name);
  if (!live && lookup) throw new ProviderNotFoundError(declared.botId, declared.name);
  if (!live) return { id: "", props: {} };
  return { id, props: toOutputs({ ...declared, type: PROVIDER_TYPE, config: live.config }, live) };
}

/**
 * The declared inputs a lookup of `id` stands for: the bot and the name, with `adoptExisting` for a
 * name today's rules refuse, which `check` accepts only for adoption.
 */
function lookedUp(id: string): { botId: string; name: string; adoptExisting?: true } {
  const { botId, name } = parseResourceId(id);
  return providerNameSchema.safeParse(name).success ? { botId, name } : { botId, name, adoptExisting: true };
}
