import type { Dispatcher } from "undici";
import { ApiError } from "../errors/api-error";
import { InvalidResponseError } from "../errors/invalid-response-error";
import { NetworkError } from "../errors/network-error";
import { type MediaProviderEntry, secretsOf } from "../types/media-provider";
import { redact } from "../utils/redact";
import { USER_AGENT } from "../utils/user-agent";
import { type ConnectionOptions, createDispatcher } from "./dispatcher";
import { type EndpointOptions, resolveBaseUrl } from "./endpoint";
import { parseErrorBody, parseList } from "./responses";
import type { RetryListener } from "./retry";

/** Everything the client needs to talk to one bot. */
export interface ClientOptions extends EndpointOptions, ConnectionOptions {
  /** The bot whose providers are managed. */
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
}

/** Most bytes of a response body read: a list of thousands of providers fits many times over. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * A client of the media-provider endpoints of one bot: add or overwrite, list, delete.
 * Errors are typed ({@link ApiError}, {@link NetworkError}, {@link InvalidResponseError}) and
 * never contain the API token or a provider's secrets.
 */
export class MediaProviderClient {
  /** The bot this client manages. */
  readonly botId: string;
  /** The API's base URL. */
  readonly baseUrl: string;
  private readonly apiToken: string;
  private readonly origin: string;
  private readonly pathPrefix: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(options: ClientOptions) {
    this.botId = options.botId;
    this.apiToken = options.apiToken;
    this.baseUrl = resolveBaseUrl(options);
    const url = new URL(this.baseUrl);
    this.origin = url.origin;
    this.pathPrefix = url.pathname.replace(/\/$/, "");
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? createDispatcher(options, options.onRetry);
  }

  /** All providers of the bot, secrets in clear as the API returns them. */
  async list(): Promise<MediaProviderEntry[]> {
    const path = this.providersPath();
    const { status, body } = await this.send("GET", path);
    const parsed = parseList(body);
    if ("problem" in parsed) {
      throw new InvalidResponseError("GET", path, status, redact(parsed.problem, [this.apiToken]));
    }
    return parsed.providers;
  }

  /** Adds a provider, or overwrites the one with the same name (the API has no "exists" error). */
  async upsert(entry: MediaProviderEntry): Promise<void> {
    await this.send("POST", this.providersPath(), JSON.stringify(entry), secretsOf(entry.config));
  }

  /** Deletes a provider by name; the API answers success for a name it does not have. */
  async delete(name: string): Promise<void> {
    await this.send("DELETE", `${this.providersPath()}/${encodeURIComponent(name)}`);
  }

  /** Closes the connection pool, if this client made it. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private providersPath(): string {
    return `/whatsapp/v1/${encodeURIComponent(this.botId)}/provision/provider`;
  }

  private async send(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body?: string,
    bodySecrets: string[] = [],
  ): Promise<{ status: number; body: string }> {
    const secrets = [this.apiToken, ...bodySecrets];
    let response: Dispatcher.ResponseData;
    try {
      response = await this.dispatcher.request({
        origin: this.origin,
        path: `${this.pathPrefix}${path}`,
        method,
        headers: {
          authorization: `Bearer ${this.apiToken}`,
          "user-agent": USER_AGENT,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body,
      });
    } catch (error) {
      throw toNetworkError(error, method, `${this.baseUrl}${path}`, secrets);
    }
    let text: string;
    try {
      text = await readBody(response.body);
    } catch (error) {
      throw toNetworkError(error, method, `${this.baseUrl}${path}`, secrets);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) {
      return { status: response.statusCode, body: text };
    }
    const { message, details } = parseErrorBody(text);
    throw ApiError.from({
      method,
      path,
      status: response.statusCode,
      apiMessage: message === undefined ? undefined : redact(message, secrets),
      apiDetails: details === undefined ? undefined : redact(details, secrets),
    });
  }
}

async function readBody(body: Dispatcher.ResponseData["body"]): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw Object.assign(new Error(`response body over ${MAX_BODY_BYTES} bytes`), {
        code: "UND_ERR_RES_EXCEEDED_MAX_SIZE",
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function toNetworkError(error: unknown, method: string, url: string, secrets: string[]): NetworkError {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return new NetworkError(
    method,
    url,
    typeof code === "string" ? code : undefined,
    redact(typeof message === "string" ? message : String(error), secrets),
  );
}
