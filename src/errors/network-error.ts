import { WhatsAppError } from "./whatsapp-error";

/** The API could not be reached, or the connection failed or timed out, after all retries. */
export class NetworkError extends WhatsAppError {
  /** The underlying error code, such as `ECONNREFUSED` or `UND_ERR_HEADERS_TIMEOUT`. */
  readonly causeCode: string | undefined;

  constructor(method: string, url: string, causeCode: string | undefined, causeMessage: string) {
    super(
      "ERR_WHATSAPP_NETWORK",
      `${method} ${url} failed: ${causeCode ?? "network error"}: ${causeMessage}. Check the network, the proxy settings (HTTPS_PROXY, NO_PROXY) and whatsapp:region / whatsapp:baseUrl.`,
    );
    this.causeCode = causeCode;
  }
}
