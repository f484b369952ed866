import { randomUUID } from "node:crypto";
import type { MediaProviderEntry } from "../types/media-provider";
import type { CounterSet } from "./counters";
import { type Answer, errorAnswer } from "./http-io";
import { parseJsonBody } from "./json-body";
import { type DownloadOutcome, MediaDownloader, type MessageFailureReason } from "./media-download";
import { MessageLog, type SentMessage } from "./message-log";
import { type SendMessageRequest, sendMessageSchema } from "./message-schema";
import type { ProviderStore } from "./store";

/** One entry of the `statuses` array of a `201` answer. */
interface StatusEntry {
  message_id: string;
  recipient: string;
  status: "success" | "failure";
  state: "delivered" | "failed";
  reason?: MessageFailureReason;
  details?: string;
}

/** Settings of the message endpoint. */
export interface MessageCenterOptions {
  /** Time allowed for one media download, redirects included, in ms. */
  downloadTimeoutMs: number;
}

/** Default time allowed for one media download. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 10_000;

/**
 * The messages endpoint of the emulator: validates a send request, downloads its media with the
 * named provider's credentials ({@link MediaDownloader}), answers `201` with one status per
 * recipient, and keeps a per-bot log of what was sent.
 */
export class MessageCenter {
  readonly #store: ProviderStore;
  readonly #counters: CounterSet;
  readonly #downloader: MediaDownloader;
  readonly #log = new MessageLog();

  constructor(store: ProviderStore, counters: CounterSet, options: MessageCenterOptions) {
    this.#store = store;
    this.#counters = counters;
    this.#downloader = new MediaDownloader(counters, options.downloadTimeoutMs);
  }

  /** Handles an authorized send request; `body` is the raw request body. */
  async handle(botId: string, contentType: string | undefined, body: Buffer): Promise<Answer> {
    const parsed = parseJsonBody(sendMessageSchema, contentType, body);
    if (!parsed.ok) return parsed.answer;
    const { to, message } = parsed.data;
    let outcome: DownloadOutcome = { ok: true };
    if (message.type !== "text") {
      const entry = this.#providerOf(botId, message.provider);
      if (entry === null) {
        return errorAnswer(
          400,
          `message.provider: this bot has no media provider named "${message.provider}"`,
        );
      }
      outcome = await this.#downloader.download(message.type, new URL(message.url), entry);
    }
    const at = new Date().toISOString();
    const sent = to.map((recipient) => sentMessage(recipient, message, outcome, at));
    this.#log.add(botId, sent);
    for (const s of sent) this.#counters.message(s.state);
    return { status: 201, body: { type: "whatsapp", statuses: sent.map(statusEntry) } };
  }

  /** A copy of the messages sent by a bot, oldest first. Throws for an unknown bot. */
  messages(botId: string): SentMessage[] {
    this.#store.list(botId);
    return this.#log.of(botId);
  }

  /** Aborts downloads in flight and closes their connections. */
  close(): Promise<void> {
    return this.#downloader.close();
  }

  // The named provider; undefined when none is named, null when the bot has no such provider.
  #providerOf(botId: string, name: string | undefined): MediaProviderEntry | undefined | null {
    if (name === undefined) return undefined;
    return this.#store.list(botId).find((p) => p.name === name) ?? null;
  }
}

function sentMessage(
  recipient: string,
  message: SendMessageRequest["message"],
  outcome: DownloadOutcome,
  at: string,
): SentMessage {
  const media = message.type === "text" ? {} : { url: message.url, provider: message.provider };
  return {
    messageId: randomUUID(),
    recipient,
    type: message.type,
    ...(media.url !== undefined ? { url: media.url } : {}),
    ...(media.provider !== undefined ? { provider: media.provider } : {}),
    state: outcome.ok ? "delivered" : "failed",
    ...(outcome.ok ? {} : { reason: outcome.reason, details: outcome.details }),
    ...(outcome.download !== undefined ? { download: outcome.download } : {}),
    at,
  };
}

function statusEntry(s: SentMessage): StatusEntry {
  return {
    message_id: s.messageId,
    recipient: s.recipient,
    status: s.state === "delivered" ? "success" : "failure",
    state: s.state,
    ...(s.reason !== undefined ? { reason: s.reason, details: s.details } : {}),
  };
}
