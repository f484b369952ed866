import type { EmulatorErrorCode } from "./emulator-error";

/** Codes of the errors this package throws, stable for programs to branch on. */
export type WhatsAppErrorCode =
  | "ERR_WHATSAPP_HTTP"
  | "ERR_WHATSAPP_BAD_REQUEST"
  | "ERR_WHATSAPP_UNAUTHORIZED"
  | "ERR_WHATSAPP_NETWORK"
  | "ERR_WHATSAPP_CALL_TIMEOUT"
  | "ERR_WHATSAPP_CANCELLED"
  | "ERR_WHATSAPP_INVALID_RESPONSE"
  | "ERR_WHATSAPP_CONFIGURATION"
  | "ERR_WHATSAPP_PROVIDER_EXISTS"
  | "ERR_WHATSAPP_WRITE_NOT_CONFIRMED"
  | "ERR_WHATSAPP_VERIFICATION"
  | "ERR_WHATSAPP_UNSAFE_DELETE"
  | "ERR_WHATSAPP_INVALID_STATE"
  | "ERR_WHATSAPP_INVALID_ID"
  | "ERR_WHATSAPP_NOT_FOUND"
  | "ERR_WHATSAPP_RESPONSE_TOO_LARGE"
  | EmulatorErrorCode;

/**
 * What caused an error (the ES2022 `ErrorOptions`, written out so that programs compiled for an
 * older `lib` still read these declarations).
 */
export interface WhatsAppErrorOptions {
  cause?: unknown;
}

/**
 * Base class of every error this package throws. Messages say what was wrong and how to fix it,
 * and never contain an API token, password or bearer token.
 */
export class WhatsAppError extends Error {
  /** A stable code, like undici's `UND_ERR_*`. */
  readonly code: WhatsAppErrorCode;

  constructor(code: WhatsAppErrorCode, message: string, options?: WhatsAppErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
