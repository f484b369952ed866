/**
 * Short texts of caught errors, for one-line messages. A caught value may be anything, so both
 * take `unknown`.
 */

/** The first line of an error's message (some, like `parseArgs`'s, span lines; the first says what is wrong). */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

/**
 * A system error's code (`ENOENT`, `EACCES`), which says it in a word without repeating the path
 * the message already names; else the error's message.
 */
export function errnoOrMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string") return code;
  return error instanceof Error ? error.message : String(error);
}
