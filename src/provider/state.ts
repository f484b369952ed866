import { z } from "zod";
import { InvalidStateError } from "../errors/invalid-state-error";
import { botIdSchema } from "../types/bot-id";
import { inputsSchema } from "./inputs";
import type { Outputs } from "./outputs";
import { addressableNameSchema } from "./safe-name";

/**
 * The stored state of a MediaProvider (its outputs, or the checked inputs update receives): the
 * inputs' own rules, with the bot id and an addressable name required and any type the API may
 * hold. Unknown keys (outputs such as `authType`) pass.
 */
const stateSchema = z.object({
  ...inputsSchema.shape,
  botId: z.string({ message: "is missing" }).pipe(botIdSchema),
  name: addressableNameSchema,
  type: z.string({ message: "is missing" }),
});

/**
 * Validates the state of resource `id` before `operation` acts on it, so that a broken or hostile
 * state (a missing name would address `…/provider/undefined`) sends no request at all.
 * Returns the state as given: parsing only checks it, so that refreshed outputs keep their values.
 */
export function validState(id: string, props: unknown, operation: "refresh" | "update" | "delete"): Outputs {
  const result = stateSchema.safeParse(props);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.map(String).join(".") || "state";
    throw new InvalidStateError(id, operation, `${where} ${issue?.message ?? "is invalid"}`);
  }
  return props as Outputs;
}
