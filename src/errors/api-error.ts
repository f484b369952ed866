import { WhatsAppError, type WhatsAppErrorCode } from "./whatsapp-error";

/** What the client knows of a failed call. */
export interface ApiErrorDetails {
  /** HTTP method of the call. */
  method: string;
  /** Path of the call, without the host (it holds the bot id and the provider name, no secret). */
  path: string;
  /** HTTP status of the last answer. */
  status: number;
  /** `message` of the API's error body, when it had one (secrets redacted). */
  apiMessage?: string | undefined;
  /** `details` of the API's error body, when it had one (secrets redacted). */
  apiDetails?: string | undefined;
  /** How many attempts were made, retries included. */
  attempts?: number | undefined;
}

function describe(d: ApiErrorDetails, hint: string): string {
  const api = [d.apiMessage, d.apiDetails].filter(Boolean).join(": ");
  const tries = d.attempts && d.attempts > 1 ? ` after ${d.attempts} attempts` : "";
  return `${d.method} ${d.path} answered ${d.status}${tries}${api ? ` (${api})` : ""}. ${hint}`;
}

/** The API answered with a status that is not success. */
export class ApiError extends WhatsAppError {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly apiMessage: string | undefined;
  readonly apiDetails: string | undefined;

  constructor(details: ApiErrorDetails, hint = "", code: WhatsAppErrorCode = "ERR_WHATSAPP_HTTP") {
    super(code, describe(details, hint).trim());
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.apiMessage = details.apiMessage;
    this.apiDetails = details.apiDetails;
  }

  /** The error class that fits a status. */
  static from(details: ApiErrorDetails): ApiError {
    if (details.status === 401) return new UnauthorizedError(details);
    if (details.status === 400) return new BadRequestError(details);
    const hint =
      details.status === 429 || details.status >= 500
        ? "The API is overloaded or failing; retries were exhausted. Try again later or lower whatsapp:maxConcurrency."
        : "";
    return new ApiError(details, hint);
  }
}

/** 401: the token is wrong, or the bot lives in another region. */
export class UnauthorizedError extends ApiError {
  constructor(details: ApiErrorDetails) {
    super(
      details,
      "The API token is wrong for this bot, or the bot lives in another region: check whatsapp:apiToken and whatsapp:region (us1 or eu1) or whatsapp:baseUrl.",
      "ERR_WHATSAPP_UNAUTHORIZED",
    );
  }
}

/** 400: the API rejected the request's content. */
export class BadRequestError extends ApiError {
  constructor(details: ApiErrorDetails) {
    super(details, "The API rejected the request; fix the value it names.", "ERR_WHATSAPP_BAD_REQUEST");
  }
}
