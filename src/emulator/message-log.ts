import type { MediaDownload, MessageFailureReason } from "./media-download";
import type { MessageType } from "./message-schema";

/** One message to one recipient, as the emulator handled it. */
export interface SentMessage {
  messageId: string;
  recipient: string;
  type: MessageType;
  /** The media URL as sent (media messages). */
  url?: string;
  /** The media provider named in the message, if any. */
  provider?: string;
  state: "delivered" | "failed";
  /** Why it failed. */
  reason?: MessageFailureReason;
  /** What went wrong, in words: what the storage answered. Holds no secret and no query string. */
  details?: string;
  /** The download, for media messages that got an answer from the storage. */
  download?: MediaDownload;
  /** When the emulator handled it (ISO 8601). */
  at: string;
}

/** What each bot sent, oldest first. */
export class MessageLog {
  readonly #byBot = new Map<string, SentMessage[]>();

  /** Appends messages a bot sent. */
  add(botId: string, sent: readonly SentMessage[]): void {
    const log = this.#byBot.get(botId) ?? [];
    log.push(...sent);
    this.#byBot.set(botId, log);
  }

  /** A copy of what a bot sent, oldest first (empty when it sent nothing). */
  of(botId: string): SentMessage[] {
    return structuredClone(this.#byBot.get(botId) ?? []);
  }
}
