import type { Dispatcher } from "undici";
import { ApiError } from "../errors/api-error";
import { CallTimeoutError } from "../errors/call-timeout-error";
import { CancelledError, type CancelledErrorDetails, type CancelledStage } from "../errors/cancelled-error";
import { ConfigurationError } from "../errors/configuration-error";
import { InvalidResponseError } from "../errors/invalid-response-error";
import { NetworkError } from "../errors/network-error";
import { ResponseTooLargeError } from "../errors/response-too-large-error";
import { UnsafeDeleteError } from "../errors/unsafe-delete-error";
import { botIdProblem } from "../types/bot-id";
import { type MediaProviderEntry, secretsOf } from "../types/media-provider";
import { basicCredentials, redact } from "../utils/redact";
import { USER_AGENT } from "../utils/user-agent";
import { type Attempt, attempt } from "./attempt";
import {
  type ConnectionOptions,
  createDispatcher,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_RESPONSE_BYTES,
} from "./dispatcher";
import { type EndpointOptions, resolveBaseUrl } from "./endpoint";
import { providerPath, providersPath } from "./provider-path";
import { type RequestSlots, requestSlots } from "./request-slots";
import { parseErrorBody, parseList } from "./responses";
import { mayHaveReachedServer, type RetryListener, RetryPolicy } from "./retry";

/** Everything the client needs to talk to one bot. */
export interface ClientOptions extends EndpointOptions, ConnectionOptions {
  /**
   * The bot whose providers are managed: one path segment as it is (letters, digits and
   * `-._~!$&'()*+,;=:@`; no `/` or `%`; not `.` or `..`), else the constructor throws a
   * `ConfigurationError`.
   */
  botId: string;
  /** The bot's bearer token. */
  apiToken: string;
  /**
   * A dispatcher to share between clients (one connection pool per host for all bots and
   * tokens); when omitted the client makes its own, and `close()` closes it.
   */
  dispatcher?: Dispatcher | undefined;
  /** Told of each retry. */
  onRetry?: RetryListener | undefined;
  /**
   * Cancels every call when it aborts: a call in flight ends at once, wherever it is (waiting for
   * a connection or to retry, or for the answer), and later calls fail before sending anything,
   * each with a {@link CancelledError}. The client adds one listener to it however many calls
   * wait on it, so it can be shared between any number of clients and calls.
   */
  signal?: AbortSignal | undefined;
}

/** Most characters of server text (each of `message`, `details`, `Location`) an error carries. */
const MAX_SERVER_TEXT = 2_000;

/** What is known of the call an attempt belongs to. */
interface Call {
  method: "GET" | "POST" | "DELETE";
  path: string;
  secrets: string[];
  attempts: number;
}

/**
 * A client of the media-provider endpoints of one bot: add or overwrite, list, delete.
 * Errors are typed ({@link ApiError}, {@link NetworkError}, {@link CallTimeoutError},
 * {@link CancelledError}, {@link InvalidResponseError}, {@link ResponseTooLargeError},
 * {@link UnsafeDeleteError}) and never contain the API token or a provider's secrets.
 */
export class MediaProviderClient {
  /** The bot this client manages. */
  readonly botId: string;
  /** The API's base URL. */
  readonly baseUrl: string;
  private readonly apiToken: string;
  private readonly origin: string;
  /** The list path with the base URL's own path in front. */
  private readonly listPath: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly slots: RequestSlots;
  private readonly retry: RetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly callTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly signal: AbortSignal | undefined;

  constructor(options: ClientOptions) {
    const problem = botIdProblem(options.botId);
    if (problem !== undefined) throw new ConfigurationError(`${problem}.`);
    this.botId = options.botId;
    this.apiToken = options.apiToken;
    this.baseUrl = resolveBaseUrl(options);
    const url = new URL(this.baseUrl);
    this.origin = url.origin;
    this.listPath = `${url.pathname.replace(/\/$/, "")}${providersPath(this.botId)}`;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? createDispatcher(options);
    this.slots = requestSlots(
      this.dispatcher,
      this.origin,
      options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    );
    this.retry = new RetryPolicy(options.retry, options.onRetry);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.signal = options.signal;
  }

  /** All providers of the bot, secrets in clear as the API returns them. */
  async list(): Promise<MediaProviderEntry[]> {
    const { status, text } = await this.send("GET", this.listPath);
    const parsed = parseList(text);
    if ("problem" in parsed) {
      throw new InvalidResponseError("GET", this.listPath, status, redact(parsed.problem, [this.apiToken]));
    }
    return parsed.providers;
  }

  /** Adds a provider, or overwrites the one with the same name (the API has no "exists" error). */
  async upsert(entry: MediaProviderEntry): Promise<void> {
    const { config } = entry;
    const secrets = [
      ...secretsOf(config),
      ...("basic" in config ? [basicCredentials(config.basic.username, config.basic.password)] : []),
    ];
    await this.send("POST", this.listPath, JSON.stringify(entry), secrets);
  }

  /**
   * Deletes a provider by name; the API answers success for a name it does not have. A name whose
   * path a server could decode or normalise into anything but that one provider (the list itself,
   * which an older API deleted whole) is refused with {@link UnsafeDeleteError}, before any request.
   */
  async delete(name: string): Promise<void> {
    const path = typeof name === "string" ? providerPath(this.listPath, name) : undefined;
    if (path === undefined) throw new UnsafeDeleteError(this.botId, String(name));
    await this.send("DELETE", path);
  }

  /** Closes the connection pool, if this client made it. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /**
   * Sends a request, retrying as the policy says while the call's deadline allows; the final
   * answer if success, else a typed error. Nothing is sent once the signal has aborted.
   */
  private async send(
    method: Call["method"],
    path: string,
    body?: string,
    bodySecrets: string[] = [],
  ): Promise<{ status: number; text: string }> {
    const callEndsAt = performance.now() + this.callTimeoutMs;
    const request = {
      origin: this.origin,
      path,
      method,
      headers: {
        authorization: `Bearer ${this.apiToken}`,
        "user-agent": USER_AGENT,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body,
    };
    if (this.signal?.aborted) throw this.cancelled(method, path, "before-sending", false);
    // Whether an attempt so far may have reached the API: then a cancelled write may have been applied.
    let reached = false;
    for (let attempts = 1; ; attempts++) {
      const limits = {
        attemptMs: this.requestTimeoutMs,
        callEndsAt,
        maxResponseBytes: this.maxResponseBytes,
        signal: this.signal,
      };
      const ended = await attempt(this.dispatcher, request, limits, this.slots);
      if ("cancelled" in ended) throw this.cancelled(method, path, ended.cancelled.waitingFor, reached);
      if ("callTimedOut" in ended) {
        throw new CallTimeoutError({
          method,
          url: `${this.origin}${path}`,
          timeoutMs: this.callTimeoutMs,
          attempt: attempts,
          ...ended.callTimedOut,
        });
      }
      if ("tooLarge" in ended) {
        const url = `${this.origin}${path}`;
        throw new ResponseTooLargeError({
          method,
          url,
          limitBytes: this.maxResponseBytes,
          ...ended.tooLarge,
        });
      }
      const end =
        "error" in ended
          ? { code: codeOf(ended.error) }
          : { status: ended.status, retryAfter: ended.headers["retry-after"] };
      reached ||= mayHaveReachedServer(end);
      const left = callEndsAt - performance.now();
      if (!(await this.retry.retries(method, path, attempts, end, left, this.signal))) {
        return this.settle(ended, { method, path, secrets: [this.apiToken, ...bodySecrets], attempts });
      }
      if (this.signal?.aborted) throw this.cancelled(method, path, "retry", reached);
    }
  }

  /** The error of a call cancelled at `stage`, after attempts of which one may have `reached` the API. */
  private cancelled(method: Call["method"], path: string, stage: CancelledStage, reached: boolean) {
    let written: CancelledErrorDetails["written"];
    if (method !== "GET" && (stage === "headers" || stage === "body")) written = "this request";
    else if (method !== "GET" && reached) written = "an earlier attempt";
    return new CancelledError({ request: `${method} ${this.origin}${path}`, stage, written });
  }

  private settle(
    ended: Exclude<Attempt, { callTimedOut: unknown } | { cancelled: unknown } | { tooLarge: unknown }>,
    call: Call,
  ): { status: number; text: string } {
    if ("error" in ended) throw this.networkError(ended.error, call);
    if (ended.status >= 200 && ended.status < 300) return ended;
    const { message, details } = parseErrorBody(ended.text);
    const bounded = (text: string | undefined) =>
      text === undefined ? undefined : redact(text, call.secrets, { maxChars: MAX_SERVER_TEXT });
    const location = ended.headers.location;
    throw ApiError.from({
      method: call.method,
      path: call.path,
      status: ended.status,
      apiMessage: bounded(message),
      apiDetails: bounded(details),
      location: bounded(Array.isArray(location) ? location[0] : location),
      attempts: call.attempts,
    });
  }

  private networkError(error: unknown, call: Call): NetworkError {
    const { message } = error as { message?: unknown };
    return new NetworkError(
      {
        method: call.method,
        url: `${this.origin}${call.path}`,
        causeCode: codeOf(error),
        causeMessage: redact(typeof message === "string" ? message : String(error), call.secrets, {
          maxChars: MAX_SERVER_TEXT,
        }),
        attempts: call.attempts,
      },
      { cause: error },
    );
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
