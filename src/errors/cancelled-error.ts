import { WhatsAppError } from "./whatsapp-error";

/**
 * How far a cancelled request had got: not sent (cancelled before it started, waiting for a free
 * connection, or waiting to be retried), or sent (waiting for the response headers, or receiving
 * the body).
 */
export type CancelledStage = "before-sending" | "connection" | "retry" | "headers" | "body";

/** What is known of a request that was cancelled. */
export interface CancelledErrorDetails {
  /** The request: method and URL (no secret, no query string), and what it was for when not an API call. */
  request: string;
  /** How far it had got. */
  stage: CancelledStage;
  /**
   * What may have reached the API before the cancellation: this request (a POST or DELETE that
   * had been sent, or an earlier attempt of it that was), or an earlier write of the same
   * operation; `undefined` when nothing the operation wrote can have reached it.
   */
  written?: "this request" | "an earlier attempt" | "an earlier write" | undefined;
}

const WHERE: Readonly<Record<CancelledStage, string>> = {
  "before-sending": "had not been sent: the provider had been told to stop before it started",
  connection: "had not been sent: it was waiting for a free connection to the API",
  retry: "was waiting to be sent again after a failed attempt",
  headers: "had been sent and was waiting for the response headers",
  body: "had been sent and was receiving the response body",
};

function outcome(written: CancelledErrorDetails["written"]): string {
  if (written === undefined) return "Nothing was written to the API.";
  const what = {
    "this request": "The API may have applied it",
    "an earlier attempt": "An earlier attempt of it reached the API, which may have applied it",
    "an earlier write": "A write made earlier by this operation reached the API",
  }[written];
  return `${what}: the outcome is unknown until \`pulumi refresh\` reads what the bot holds.`;
}

/**
 * The Pulumi engine cancelled the operation (Ctrl-C, or the end of a deployment): the provider
 * plugin's `Cancel` ends every request in flight and sends no new one. `mayHaveWritten` says
 * whether a write may have reached the API before that.
 */
export class CancelledError extends WhatsAppError {
  /** How far the request had got. */
  readonly stage: CancelledStage;
  /** Whether a write (this request or an earlier one of the operation) may have reached the API. */
  readonly mayHaveWritten: boolean;
  /** What the error was made from, for {@link CancelledError.afterWrite}. */
  private readonly details: CancelledErrorDetails;

  constructor(details: CancelledErrorDetails) {
    super(
      "ERR_WHATSAPP_CANCELLED",
      `${details.request} was cancelled, because the Pulumi engine told the provider to stop (Ctrl-C, or the end of the deployment). It ${WHERE[details.stage]}. ${outcome(details.written)}`,
    );
    this.stage = details.stage;
    this.mayHaveWritten = details.written !== undefined;
    this.details = details;
  }

  /** This error, for an operation that had already written to the API before this request. */
  afterWrite(): CancelledError {
    return this.mayHaveWritten ? this : new CancelledError({ ...this.details, written: "an earlier write" });
  }
}
