import { WhatsAppError } from "./whatsapp-error";

/**
 * Why a verification failed:
 * - `wrong-credentials`: the storage answered 401 or 403 to the provider's credentials;
 * - `method-not-allowed`: the storage refused HEAD (405 or 501); `method: "GET"` fixes it;
 * - `unexpected-status`: any other status that is not the expected one (404, 5xx…);
 * - `redirect-refused`: a redirect to another origin, a downgrade to http, or too many redirects;
 * - `unreachable`: DNS, refused connection, TLS or another network failure;
 * - `timeout`: no complete answer within `verify.timeoutMs`.
 *
 * A `verify` input that breaks its rules fails `check`, before any verification.
 */
export type VerificationFailureKind =
  | "wrong-credentials"
  | "method-not-allowed"
  | "unexpected-status"
  | "redirect-refused"
  | "unreachable"
  | "timeout";

/** What is known of a failed verification; no field holds a secret or a query string. */
export interface VerificationErrorDetails {
  kind: VerificationFailureKind;
  /** The media provider whose credentials were checked. */
  providerName: string;
  /** The URL checked, as origin and path only (its query string may hold a signed token). */
  url: string;
  /** The status the storage answered, when it answered. */
  status?: number | undefined;
  /** The underlying network error code (`ECONNREFUSED`, `ENOTFOUND`…), when there was one. */
  causeCode?: string | undefined;
}

/**
 * The storage a media provider points at did not accept its credentials (`wrong-credentials`),
 * or the check could not be made. Thrown before anything is written to the API. The message
 * never contains the password, the bearer token or the URL's query string.
 */
export class VerificationError extends WhatsAppError {
  readonly kind: VerificationFailureKind;
  readonly providerName: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly causeCode: string | undefined;

  constructor(details: VerificationErrorDetails, message: string) {
    super("ERR_WHATSAPP_VERIFICATION", message);
    this.kind = details.kind;
    this.providerName = details.providerName;
    this.url = details.url;
    this.status = details.status;
    this.causeCode = details.causeCode;
  }
}
