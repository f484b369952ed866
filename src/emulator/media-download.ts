import { STATUS_CODES } from "node:http";
import { Agent } from "undici";
import { authTypeOf, type MediaProviderEntry } from "../types/media-provider";
import { redact } from "../utils/redact";
import { HTTP1_ONLY } from "../utils/undici";
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
import { mediaTypeOf } from "./http-io";
import { MEDIA_RULES, type MediaType } from "./message-schema";

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

/** How a download went: the media is acceptable, or why the message fails. */
export type DownloadOutcome =
  | { ok: true; download?: MediaDownload }
  | { ok: false; reason: MessageFailureReason; details: string; download?: MediaDownload };

// What every message about one download says: the request, made safe to show.
interface DownloadContext {
  type: MediaType;
  rules: (typeof MEDIA_RULES)[MediaType];
  /** Redacts the provider's secrets from outside words (URLs, the storage's answers). */
  safe: (text: string) => string;
  /** "with the Basic credentials of media provider …", or "without credentials …". */
  sentWith: string;
}

const failed = (
  reason: MessageFailureReason,
  details: string,
  download?: MediaDownload,
): DownloadOutcome => ({ ok: false, reason, details, ...(download !== undefined ? { download } : {}) });

/**
 * Downloads media the way WhatsApp does: with the named provider's Basic or Bearer credentials,
 * same-origin redirects only, checking status, content type and size against {@link MEDIA_RULES}.
 */
export class MediaDownloader {
  readonly #counters: CounterSet;
  readonly #timeoutMs: number;
  readonly #agent: Agent;
  readonly #closed = new AbortController();

  /** @param timeoutMs time allowed for one download, redirects included */
  constructor(counters: CounterSet, timeoutMs: number) {
    this.#counters = counters;
    this.#timeoutMs = timeoutMs;
    this.#agent = new Agent({
      ...HTTP1_ONLY,
      keepAliveTimeout: 4_000,
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  /** Downloads `url` for a message of `type`, with the credentials of `entry` if given. */
  async download(type: MediaType, url: URL, entry: MediaProviderEntry | undefined): Promise<DownloadOutcome> {
    this.#counters.download();
    const secrets = entry === undefined ? [] : credentialSecrets(entry.config);
    // Only outside words are redacted, not the emulator's own text, which redaction would mangle
    // around a short secret.
    const context: DownloadContext = {
      type,
      rules: MEDIA_RULES[type],
      safe: (text) => redact(text, secrets),
      sentWith: describeCredentials(entry),
    };
    const signal = AbortSignal.any([this.#closed.signal, AbortSignal.timeout(this.#timeoutMs)]);
    let response: StorageResponse;
    try {
      response = await requestStorage(url, {
        method: "GET",
        authorization: entry === undefined ? undefined : authorizationHeader(entry.config),
        dispatcher: this.#agent,
        signal,
        timeoutMs: this.#timeoutMs,
        secrets,
      });
    } catch (error) {
      if (!(error instanceof StorageRequestError)) throw error;
      // requestStorage has redacted its message already.
      const shown = context.safe(urlForDisplay(url));
      return failed(
        "media_download_failed",
        `downloading ${shown} ${context.sentWith} failed: ${error.message}`,
      );
    }
    return this.#check(response, context, signal);
  }

  /** Aborts downloads in flight and closes their connections. */
  async close(): Promise<void> {
    this.#closed.abort();
    await this.#agent.destroy().catch(() => undefined);
  }

  async #check(
    response: StorageResponse,
    context: DownloadContext,
    signal: AbortSignal,
  ): Promise<DownloadOutcome> {
    const status = response.statusCode;
    const contentType = mediaTypeOf(response.headers["content-type"]);
    const download: MediaDownload = {
      status,
      ...(contentType ? { contentType } : {}),
      bytes: 0,
      redirects: response.redirects,
    };
    const phrase = `${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ""}`;
    const answered = `the storage answered ${phrase} to GET ${context.safe(urlForDisplay(response.url))} ${context.sentWith}`;
    const refused = refusal(response, context, answered, download);
    if (refused !== undefined) {
      discardBody(response.body);
      return refused;
    }
    try {
      return await readWithinLimit(response, context, answered, download);
    } catch (error) {
      const reason = signal.aborted
        ? `no complete answer within ${this.#timeoutMs} ms`
        : context.safe(error instanceof Error ? error.message : String(error));
      return failed("media_download_failed", `${answered}, then the download broke off: ${reason}`, download);
    }
  }
}

function describeCredentials(entry: MediaProviderEntry | undefined): string {
  if (entry === undefined) return "without credentials (no provider was named)";
  const scheme = authTypeOf(entry.config) === "basic" ? "Basic" : "Bearer";
  return `with the ${scheme} credentials of media provider "${entry.name}"`;
}

// Why the answer is refused before its body is read: its status, content type or declared size.
function refusal(
  response: StorageResponse,
  { type, rules, safe }: DownloadContext,
  answered: string,
  download: MediaDownload,
): DownloadOutcome | undefined {
  const status = response.statusCode;
  if (status === 401 || status === 403) {
    return failed(
      "media_download_unauthorized",
      `${answered}: the credentials are wrong or lack access to this file`,
      download,
    );
  }
  if (status < 200 || status > 299) return failed("media_download_failed", answered, download);
  const contentType = download.contentType;
  if (contentType === undefined || !rules.contentTypes.includes(contentType)) {
    return failed(
      "media_type_not_supported",
      `${answered} with Content-Type ${contentType === undefined ? "(none)" : safe(contentType)}, which a ${type} message does not accept (accepted: ${rules.contentTypes.join(", ")})`,
      download,
    );
  }
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > rules.maxBytes) {
    return tooLarge(`Content-Length ${declared}`, answered, download, { type, rules });
  }
  return undefined;
}

function tooLarge(
  size: string,
  answered: string,
  download: MediaDownload,
  { type, rules }: Pick<DownloadContext, "type" | "rules">,
): DownloadOutcome {
  return failed(
    "media_too_large",
    `${answered} with ${size}, over the ${rules.maxBytes} bytes a ${type} may have`,
    download,
  );
}

// Counts the body into `download.bytes`, stopping once it is over the type's limit.
async function readWithinLimit(
  response: StorageResponse,
  context: DownloadContext,
  answered: string,
  download: MediaDownload,
): Promise<DownloadOutcome> {
  const { maxBytes } = context.rules;
  for await (const chunk of response.body) {
    download.bytes += (chunk as Buffer).length;
    if (download.bytes > maxBytes) {
      discardBody(response.body);
      return tooLarge(`more than ${maxBytes} bytes`, answered, download, context);
    }
  }
  return { ok: true, download };
}
