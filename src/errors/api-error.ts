import { WhatsAppError, type WhatsAppErrorCode } from "./whatsapp-error";

/** What the client knows of a failed call. */
export interface ApiErrorDetails {
  /** HTTP method of the call. */
  method: string;
  /** Path of the call, without the host (it holds the bot id and the provider name, no secret). */
  path: string;
  /** HTTP status of the last answer. */
  status: number;
  /** `message` of the API's error body, when it had one (secrets redacted, bounded). */
  apiMessage?: string | undefined;
  /**
   * `details` of the API's error body, else its `reason` and `title` (Sinch's OpenAPI file shows
   * `{message, reason}`), when it had any (secrets redacted, bounded).
   */
  apiDetails?: string | undefined;
  /** Where a 3xx answer pointed (secrets redacted, bounded). */
  location?: string | undefined;
  /** How many attempts were made, retries included. */
  attempts: number;
}

function describe(d: ApiErrorDetails, hint: string): string {
  const api = [d.apiMessage, d.apiDetails].filter(Boolean).join(": ");
  const tries = d.attempts > 1 ? ` after ${d.attempts} attempts` : "";
  return `${d.method} ${d.path} answered ${d.status}${tries}${api ? ` (${api})` : ""}. ${hint}`;
}

/** The API answered with a status that is not success. */
export class ApiError extends WhatsAppError {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly apiMessage: string | undefined;
  readonly apiDetails: string | undefined;
  /** How many attempts were made, retries included. */
  readonly attempts: number;

  constructor(details: ApiErrorDetails, hint = "", code: WhatsAppErrorCode = "ERR_WHATSAPP_HTTP") {
    super(code, describe(details, hint).trim());
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.apiMessage = details.apiMessage;
    this.apiDetails = details.apiDetails;
    this.attempts = details.attempts;
  }

  /** The error class that fits a status. */
  static from(details: ApiErrorDetails): ApiError {
    if (details.status === 401) return new UnauthorizedError(details);
    if (details.status === 400) return new BadRequestError(details);
    if (details.status >= 300 && details.status < 400) return new RedirectError(details);
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
    // The API's own text usually names the cause already: then only say what to check.
    const cause = details.apiDetails
      ? ""
      : "The API token is wrong for this bot, or the bot lives in another region: ";
    super(
      details,
      `${cause}${cause ? "check" : "Check"} whatsapp:apiToken, and whatsapp:region (us1 or eu1) or whatsapp:baseUrl.`,
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

/** 3xx: the API redirected, which it never does itself; the redirect is not followed with the token. */
export class RedirectError extends ApiError {
  /** Where the redirect pointed (secrets redacted), when it said. */
  readonly location: string | undefined;

  constructor(details: ApiErrorDetails) {
    super(
      details,
      `It was a redirect${details.location ? ` to ${details.location}` : ""}, not followed so that the API token goes nowhere else: set whatsapp:baseUrl (or whatsapp:region) to the API's own address.`,
    );
    this.location = details.location;
  }
}
