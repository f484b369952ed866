/** Why a storage request got no answer: see {@link StorageRequestError}. */
export type StorageRequestFailureKind = "redirect-refused" | "unreachable" | "timeout";

/**
 * A request to a storage got no answer to hand back. Internal: verification turns it into a
 * `VerificationError`, the emulator into a message status. The message holds no secret and
 * no query string.
 */
export class StorageRequestError extends Error {
  readonly kind: StorageRequestFailureKind;
  readonly causeCode: string | undefined;
  /** The URL of the failed hop, as origin and path only. */
  readonly url: string;

  constructor(kind: StorageRequestFailureKind, url: string, message: string, causeCode?: string) {
    super(message);
    this.name = "StorageRequestError";
    this.kind = kind;
    this.url = url;
    this.causeCode = causeCode;
  }
}
