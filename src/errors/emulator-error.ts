import { WhatsAppError } from "./whatsapp-error";

/** Codes of the errors the local emulator and its storage server throw. */
export type EmulatorErrorCode =
  /** An option of `startEmulator` (or `setFaults`) breaks its rule; the message names it. */
  | "ERR_WHATSAPP_EMULATOR_OPTIONS"
  /** A bot id that the emulator was not started with. */
  | "ERR_WHATSAPP_EMULATOR_UNKNOWN_BOT"
  /** The state file cannot be read, is not a valid state file, or cannot be written. */
  | "ERR_WHATSAPP_EMULATOR_STATE_FILE"
  /** Another running emulator uses the same state file. */
  | "ERR_WHATSAPP_EMULATOR_STATE_LOCKED"
  /** The server cannot listen on the address and port (e.g. `EADDRINUSE`). */
  | "ERR_WHATSAPP_EMULATOR_LISTEN";

/** An error of the local emulator's public API (`pulumi-sinch-whatsapp/emulator`). */
export class EmulatorError extends WhatsAppError {
  declare readonly code: EmulatorErrorCode;

  constructor(code: EmulatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
