import { z } from "zod";

/**
 * The rule for a bot id: one path segment as it is, RFC 3986 `pchar` without percent-encoding
 * (letters, digits and `-._~!$&'()*+,;=:@`), and not `.` or `..`. The id is placed in the API path
 * (`/whatsapp/v1/{bot-id}/provision/provider`); a `/` would make it two segments, a dot segment
 * would be normalised away, and a `%` could be decoded by a front end into either, so that a
 * request meant for one bot could reach another bot's list. Nothing needs encoding, so every
 * client, proxy and server routes it alike.
 */
export const BOT_ID_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;

/** What {@link BOT_ID_PATTERN} allows. */
const ALLOWED = `letters, digits and - . _ ~ ! $ & ' ( ) * + , ; = : @ (no / or %), and not "." or ".."`;

/** A bot id as every entry point takes it: the stack config, inputs, arguments, import ids, the CLI, the emulator. */
export const botIdSchema = z
  .string({ message: "must be a string" })
  .min(1, { message: "must not be empty", abort: true })
  .regex(BOT_ID_PATTERN, `must be one path segment as it is: ${ALLOWED}`);

/** Why `botId` breaks {@link botIdSchema}, as a sentence about the bot id, or `undefined` when it holds. */
export function botIdProblem(botId: unknown): string | undefined {
  if (botIdSchema.safeParse(botId).success) return undefined;
  if (botId === "") return "a bot id must not be empty";
  return `bot id ${JSON.stringify(botId)} cannot be carried in the API path as is: use ${ALLOWED}`;
}
