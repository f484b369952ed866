import { WhatsAppError, type WhatsAppErrorOptions } from "./whatsapp-error";

/** What the client knows of a call that got no complete answer. */
export interface NetworkErrorDetails {
  /** HTTP method of the call. */
  method: string;
  /** URL of the call (base URL and path; no secret). */
  url: string;
  /** The underlying error code, such as `ECONNREFUSED` or `UND_ERR_HEADERS_TIMEOUT`. */
  causeCode: string | undefined;
  /** What went wrong, secrets redacted. */
  causeMessage: string;
  /** How many attempts were made, retries included. */
  attempts: number;
}

/**
 * The API could not be reached, or the connection failed or timed out, after all retries. The
 * underlying error is kept as `cause` (as ky's `NetworkError` does).
 */
export class NetworkError extends WhatsAppError {
  /** The underlying error code, such as `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT` or `REQUEST_TIMEOUT`. */
  readonly causeCode: string | undefined;
  /** How many attempts were made, retries included. */
  readonly attempts: number;

  constructor(details: NetworkErrorDetails, options?: WhatsAppErrorOptions) {
    const tries = details.attempts > 1 ? ` after ${details.attempts} attempts` : "";
    super(
      "ERR_WHATSAPP_NETWORK",
      `${details.method} ${details.url} failed${tries}: ${details.causeCode ?? "network error"}: ${details.causeMessage}. Check the network, the proxy settings (HTTPS_PROXY, NO_PROXY) and whatsapp:region / whatsapp:baseUrl.`,
      options,
    );
    this.causeCode = details.causeCode;
    this.attempts = details.attempts;
  }
}
