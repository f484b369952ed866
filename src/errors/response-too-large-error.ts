import { WhatsAppError } from "./whatsapp-error";

/** What the client knows of an answer it stopped reading at the size limit. */
export interface ResponseTooLargeErrorDetails {
  /** HTTP method of the call. */
  method: string;
  /** URL of the call (base URL and path; no secret). */
  url: string;
  /** The HTTP status of the answer. */
  status: number;
  /** The limit, in bytes (`maxResponseBytes`). */
  limitBytes: number;
  /** The body's `Content-Length`, when the headers said. */
  expectedBytes: number | undefined;
}

/**
 * An answer's body was larger than `maxResponseBytes` (stack config `whatsapp:maxResponseBytes`,
 * `WHATSAPP_MAX_RESPONSE_BYTES`; 2 MiB by default): the client stopped reading it there, so that a
 * hostile or broken server cannot make the process hold more. Never retried.
 */
export class ResponseTooLargeError extends WhatsAppError {
  /** The limit that was passed, in bytes. */
  readonly limitBytes: number;
  /** The HTTP status of the answer. */
  readonly status: number;

  constructor(details: ResponseTooLargeErrorDetails) {
    const size = details.expectedBytes === undefined ? "more" : `${details.expectedBytes} bytes`;
    super(
      "ERR_WHATSAPP_RESPONSE_TOO_LARGE",
      `${details.method} ${details.url} answered ${details.status} with a body of ${size}, over the limit of ${details.limitBytes} bytes; the rest was not read. A bot's provider list is about 100 bytes per provider: check whatsapp:baseUrl and any proxy in between, or, if the bot does hold that many providers, raise whatsapp:maxResponseBytes (WHATSAPP_MAX_RESPONSE_BYTES).`,
    );
    this.limitBytes = details.limitBytes;
    this.status = details.status;
  }
}
