import { WhatsAppError } from "./whatsapp-error";

/** The API answered success with a body that is not the documented shape (a proxy's page, truncated JSON…). */
export class InvalidResponseError extends WhatsAppError {
  readonly method: string;
  readonly path: string;
  readonly status: number;

  constructor(method: string, path: string, status: number, problem: string) {
    super(
      "ERR_WHATSAPP_INVALID_RESPONSE",
      `${method} ${path} answered ${status} with a body that is not the documented shape: ${problem}. A proxy in between, or a wrong whatsapp:baseUrl, is the usual cause.`,
    );
    this.method = method;
    this.path = path;
    this.status = status;
  }
}
