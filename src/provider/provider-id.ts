import { InvalidIdError } from "../errors/invalid-id-error";
import { addressableNameSchema } from "./safe-name";

/** The id of a provider in state: names are unique per bot. */
export function resourceId(botId: string, name: string): string {
  return `${botId}/${name}`;
}

/**
 * The bot and name an id from {@link resourceId} stands for. Names cannot hold `/`, so the last
 * one separates them. An id of another form fails before any request.
 */
export function parseResourceId(id: string): { botId: string; name: string } {
  const slash = id.lastIndexOf("/");
  const name = id.slice(slash + 1);
  if (slash <= 0 || !addressableNameSchema.safeParse(name).success) throw new InvalidIdError(id);
  return { botId: id.slice(0, slash), name };
}
