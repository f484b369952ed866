import { timingSafeEqual } from "node:crypto";
import { digest } from "./digest";

/** Checks `Authorization: Bearer <token>` against each bot's token. */
export class BotAuthenticator {
  // Digests have one length, so timingSafeEqual can compare tokens of any length.
  readonly #digests = new Map<string, Buffer>();

  /** @param bots bot id → bearer token */
  constructor(bots: ReadonlyMap<string, string>) {
    for (const [botId, token] of bots) this.#digests.set(botId, digest(token));
  }

  /**
   * Returns `undefined` when the header carries the bot's token, otherwise why not (for the 401
   * details). An unknown bot and a wrong token get the same answer, as the real API cannot tell a
   * bot in another region from a bad token; the token itself is never part of the answer.
   */
  check(botId: string, authorization: string | undefined): string | undefined {
    if (authorization === undefined) return "missing Authorization header; expected 'Bearer <token>'";
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (match?.[1] === undefined) return "the Authorization header must be 'Bearer <token>'";
    const expected = this.#digests.get(botId);
    if (expected === undefined || !timingSafeEqual(expected, digest(match[1]))) {
      return "wrong credentials, or the bot lives in another region";
    }
    return undefined;
  }
}
