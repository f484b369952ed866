import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import { Agent } from "undici";
import { z } from "zod";
import { authTypeOf, type MediaProviderEntry } from "../types/media-provider";
import { redact } from "../utils/redact";
import {
  authorizationHeader,
  credentialSecrets,
  discardBody,
  requestStorage,
  StorageRequestError,
  type StorageResponse,
  urlForDisplay,
} from "../verification";
import type { CounterSet } from "./counters";
import { type Answer, errorAnswer } from "./http-io";
import type { ProviderStore } from "./store";
import { describeIssues } from "./validation";

/** The media message types, each downloaded from its `url`. */
export const MEDIA_TYPES = ["image", "video", "document", "audio", "sticker"] as const;
/** Every message type the emulator accepts. */
export const MESSAGE_TYPES = ["text", ...MEDIA_TYPES] as const;
/** A media message type. */
export type MediaType = (typeof MEDIA_TYPES)[number];
/** A message type. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

const MB = 1024 * 1024;

/** Accepted content types and the largest size, per media type (the API notes' limits). */
export const MEDIA_RULES: Readonly<Record<MediaType, { contentTypes: readonly string[]; maxBytes: number }>> =
  {
    image: { contentTypes: ["image/jpeg", "image/png"], maxBytes: 5 * MB },
    audio: {
      contentTypes: ["audio/aac", "audio/mp4", "audio/amr", "audio/mpeg", "audio/ogg", "audio/opus"],
      maxBytes: 16 * MB,
    },
    video: { contentTypes: ["video/mp4", "video/3gpp"], maxBytes: 16 * MB },
    sticker: { contentTypes: ["image/webp"], maxBytes: 100 * 1024 },
    document: {
      contentTypes: [
        "application/pdf",
        "text/plain",
        "text/csv",
        "application/rtf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
      ],
      maxBytes: 100 * MB,
    },
  };

const required = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : `must be ${what}`),
});
const mediaUrl = z
  .string(required("a string"))
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    message: "must be an absolute http or https URL",
  });
const provider = z.string(required("a string")).min(1, "must not be empty").optional();
const caption = z.string(required("a string")).max(3000, "must be at most 3000 characters").optional();

/** The body of `POST /whatsapp/v1/{botId}/messages`. */
export const sendMessageSchema = z.strictObject({
  to: z
    .array(
      z
        .string(required("a string"))
        .regex(/^[0-9]{1,15}$/, "must be a phone number: digits only, at most 15"),
      required("an array of phone numbers"),
    )
    .min(1, "must hold at least 1 recipient")
    .max(20, "must hold at most 20 recipients"),
  message: z.discriminatedUnion(
    "type",
    [
      z.strictObject({
        type: z.literal("text"),
        body: z
          .string(required("a string"))
          .min(1, "must not be empty")
          .max(4096, "must be at most 4096 characters"),
        preview_url: z.boolean(required("a boolean")).optional(),
      }),
      z.strictObject({ type: z.literal("image"), url: mediaUrl, caption, provider }),
      z.strictObject({ type: z.literal("video"), url: mediaUrl, caption, provider }),
      z.strictObject({
        type: z.literal("document"),
        url: mediaUrl,
        filename: z.string(required("a string")).min(1, "must not be empty").optional(),
        caption,
        provider,
      }),
      z.strictObject({ type: z.literal("audio"), url: mediaUrl, provider }),
      z.strictObject({ type: z.literal("sticker"), url: mediaUrl, provider }),
    ],
    {
      error: (issue) =>
        issue.code === "invalid_union"
          ? `type must be one of ${MESSAGE_TYPES.join(", ")}`
          : issue.input === undefined
            ? "is required"
            : "must be a message object",
    },
  ),
  callback: z.string(required("a string")).optional(),
});

/** Why a message failed, as recorded and answered in `reason`. */
export type MessageFailureReason =
  | "media_download_unauthorized"
  | "media_download_failed"
  | "media_type_not_supported"
  | "media_too_large";

/** What the storage answered to the emulator's download. */
export interface MediaDownload {
  /** HTTP status of the final answer, when there was one. */
  status?: number;
  /** `Content-Type` of the answer, without parameters. */
  contentType?: string;
  /** Bytes read. */
  bytes: number;
  /** Redirects followed (same origin only). */
  redirects: number;
}

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

/** One entry of the `statuses` array of a `201` answer. */
interface StatusEntry {
  message_id: string;
  recipient: string;
  status: "success" | "failure";
  state: "delivered" | "failed";
  reason?: MessageFailureReason;
  details?: string;
}

type Outcome =
  | { ok: true; download?: MediaDownload }
  | { ok: false; reason: MessageFailureReason; details: string; download?: MediaDownload };

/** Settings of the message endpoint. */
export interface MessageCenterOptions {
  /** Time allowed for one media download, redirects included, in ms. */
  downloadTimeoutMs: number;
}

/** Default time allowed for one media download. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 10_000;

/**
 * The messages endpoint of the emulator: validates a send request, downloads media the way
 * WhatsApp does (with the named provider's Basic or Bearer credentials, same-origin redirects only,
 * checking status, content type and size), answers `201` with one status per recipient, and keeps a
 * per-bot log of what was sent.
 */
export class MessageCenter {
  readonly #store: ProviderStore;
  readonly #counters: CounterSet;
  readonly #timeoutMs: number;
  readonly #log = new Map<string, SentMessage[]>();
  readonly #agent: Agent;
  readonly #closed = new AbortController();

  constructor(store: ProviderStore, counters: CounterSet, options: MessageCenterOptions) {
    this.#store = store;
    this.#counters = counters;
    this.#timeoutMs = options.downloadTimeoutMs;
    this.#agent = new Agent({
      keepAliveTimeout: 4_000,
      connect: { timeout: this.#timeoutMs },
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
  }

  /** Handles an authorized send request; `body` is the raw request body. */
  async handle(botId: string, contentType: string | undefined, body: Buffer): Promise<Answer> {
    const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
    if (mediaType !== "application/json") return errorAnswer(400, "Content-Type must be application/json");
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      return errorAnswer(400, "the body is not valid JSON");
    }
    const parsed = sendMessageSchema.safeParse(json);
    if (!parsed.success) return errorAnswer(400, describeIssues(parsed.error.issues));
    const { to, message } = parsed.data;

    let outcome: Outcome = { ok: true };
    if (message.type !== "text") {
      let entry: MediaProviderEntry | undefined;
      if (message.provider !== undefined) {
        entry = this.#store.list(botId).find((p) => p.name === message.provider);
        if (entry === undefined) {
          return errorAnswer(
            400,
            `message.provider: this bot has no media provider named "${message.provider}"`,
          );
        }
      }
      outcome = await this.#download(message.type, new URL(message.url), entry);
    }

    const at = new Date().toISOString();
    const sent: SentMessage[] = to.map((recipient) => ({
      messageId: randomUUID(),
      recipient,
      type: message.type,
      ...(message.type !== "text" ? { url: message.url } : {}),
      ...(message.type !== "text" && message.provider !== undefined ? { provider: message.provider } : {}),
      state: outcome.ok ? "delivered" : "failed",
      ...(outcome.ok ? {} : { reason: outcome.reason, details: outcome.details }),
      ...(outcome.download !== undefined ? { download: outcome.download } : {}),
      at,
    }));
    const log = this.#log.get(botId) ?? [];
    log.push(...sent);
    this.#log.set(botId, log);
    for (const s of sent) this.#counters.message(s.state);

    const statuses: StatusEntry[] = sent.map((s) => ({
      message_id: s.messageId,
      recipient: s.recipient,
      status: s.state === "delivered" ? "success" : "failure",
      state: s.state,
      ...(s.reason !== undefined ? { reason: s.reason, details: s.details } : {}),
    }));
    return { status: 201, body: { type: "whatsapp", statuses } };
  }

  /** A copy of the messages sent by a bot, oldest first. Throws for an unknown bot. */
  messages(botId: string): SentMessage[] {
    this.#store.list(botId);
    return structuredClone(this.#log.get(botId) ?? []);
  }

  /** Aborts downloads in flight and closes their connections. */
  async close(): Promise<void> {
    this.#closed.abort();
    await this.#agent.destroy().catch(() => undefined);
  }

  async #download(type: MediaType, url: URL, entry: MediaProviderEntry | undefined): Promise<Outcome> {
    this.#counters.download();
    const authorization = entry === undefined ? undefined : authorizationHeader(entry.config);
    const secrets = entry === undefined ? [] : credentialSecrets(entry.config);
    // Only outside words are redacted (URLs, the storage's answers), not the emulator's own text,
    // which redaction would mangle around a short secret.
    const safe = (text: string) => redact(text, secrets);
    const shown = safe(urlForDisplay(url));
    const sentWith =
      entry === undefined
        ? "without credentials (no provider was named)"
        : `with the ${authTypeOf(entry.config) === "basic" ? "Basic" : "Bearer"} credentials of media provider "${entry.name}"`;
    const failed = (reason: MessageFailureReason, details: string, download?: MediaDownload): Outcome => ({
      ok: false,
      reason,
      details,
      ...(download !== undefined ? { download } : {}),
    });

    const signal = AbortSignal.any([this.#closed.signal, AbortSignal.timeout(this.#timeoutMs)]);
    let response: StorageResponse;
    try {
      response = await requestStorage(url, {
        method: "GET",
        authorization,
        dispatcher: this.#agent,
        signal,
        timeoutMs: this.#timeoutMs,
        secrets,
      });
    } catch (error) {
      if (!(error instanceof StorageRequestError)) throw error;
      // requestStorage has redacted its message already.
      return failed("media_download_failed", `downloading ${shown} ${sentWith} failed: ${error.message}`);
    }

    const status = response.statusCode;
    const rawType = response.headers["content-type"];
    const contentType = (Array.isArray(rawType) ? rawType[0] : rawType)?.split(";")[0]?.trim().toLowerCase();
    const download: MediaDownload = {
      status,
      ...(contentType ? { contentType } : {}),
      bytes: 0,
      redirects: response.redirects,
    };
    const phrase = `${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ""}`;
    const answered = `the storage answered ${phrase} to GET ${safe(urlForDisplay(response.url))} ${sentWith}`;
    if (status < 200 || status > 299) {
      discardBody(response.body);
      if (status === 401 || status === 403) {
        return failed(
          "media_download_unauthorized",
          `${answered}: the credentials are wrong or lack access to this file`,
          download,
        );
      }
      return failed("media_download_failed", answered, download);
    }

    const rules = MEDIA_RULES[type];
    if (contentType === undefined || !rules.contentTypes.includes(contentType)) {
      discardBody(response.body);
      return failed(
        "media_type_not_supported",
        `${answered} with Content-Type ${contentType === undefined ? "(none)" : safe(contentType)}, which a ${type} message does not accept (accepted: ${rules.contentTypes.join(", ")})`,
        download,
      );
    }
    const tooLarge = (size: string) =>
      failed(
        "media_too_large",
        `${answered} with ${size}, over the ${rules.maxBytes} bytes a ${type} may have`,
        download,
      );
    const declared = Number(response.headers["content-length"]);
    if (Number.isFinite(declared) && declared > rules.maxBytes) {
      discardBody(response.body);
      return tooLarge(`Content-Length ${declared}`);
    }
    try {
      for await (const chunk of response.body) {
        download.bytes += (chunk as Buffer).length;
        if (download.bytes > rules.maxBytes) {
          discardBody(response.body);
          return tooLarge(`more than ${rules.maxBytes} bytes`);
        }
      }
    } catch (error) {
      const reason = signal.aborted
        ? `no complete answer within ${this.#timeoutMs} ms`
        : safe(error instanceof Error ? error.message : String(error));
      return failed("media_download_failed", `${answered}, then the download broke off: ${reason}`, download);
    }
    return { ok: true, download };
  }
}
