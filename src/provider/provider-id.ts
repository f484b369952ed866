import { InvalidIdError } from "../errors/invalid-id-error";
import { botIdProblem } from "../types/bot-id";
import { addressableNameSchema } from "./safe-name";

/** The id of a provider in state: names are unique per bot. */
export function resourceId(botId: string, name: string): string {
  return `${botId}/${name}`;
}

/**
 * The bot and name an id from {@link resourceId} stands for. Neither bot ids nor names can hold
 * `/`, so the id holds exactly one. An id of another form (`bot/a/b` was once read as the bot
 * `bot/a`), or whose bot id breaks the rule of bot ids (`../x`), fails before any request.
 */
export function parseResourceId(id: string): { botId: string; name: string } {
  const [botId = "", name, ...rest] = id.split("/");
  if (name === undefined || rest.length > 0) throw new InvalidIdError(id);
  const problem = botIdProblem(botId);
  if (problem !== undefined) throw new InvalidIdError(id, problem);
  if (!addressableNameSchema.safeParse(name).success) throw new InvalidIdError(id);
  return { botId, name };
}
