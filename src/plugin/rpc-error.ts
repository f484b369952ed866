import { status } from "@grpc/grpc-js";
import { CancelledError } from "../errors/cancelled-error";
import { WhatsAppError, type WhatsAppErrorCode } from "../errors/whatsapp-error";
import { redact } from "../utils/redact";

/** A call the plugin refuses for a reason of the protocol (an unknown function, a schema version). */
export class RpcRefusal extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = "RpcRefusal";
  }
}

/** A failed call as grpc-js sends it: the engine shows `details` to the user. */
export interface RpcStatus {
  code: status;
  details: string;
}

// Errors after which nothing was written (the engine records the operation as not done); any
// other error may follow a write that the API applied, so the engine is told the outcome is
// unknown (UNKNOWN), and keeps the operation pending until a refresh.
const STATUS_OF: Partial<Record<WhatsAppErrorCode, status>> = {
  ERR_WHATSAPP_UNAUTHORIZED: status.UNAUTHENTICATED,
  ERR_WHATSAPP_BAD_REQUEST: status.INVALID_ARGUMENT,
  ERR_WHATSAPP_PROVIDER_EXISTS: status.ALREADY_EXISTS,
  ERR_WHATSAPP_INVALID_ID: status.INVALID_ARGUMENT,
  ERR_WHATSAPP_NOT_FOUND: status.NOT_FOUND,
  ERR_WHATSAPP_CONFIGURATION: status.FAILED_PRECONDITION,
  ERR_WHATSAPP_VERIFICATION: status.FAILED_PRECONDITION,
  ERR_WHATSAPP_UNSAFE_DELETE: status.FAILED_PRECONDITION,
  ERR_WHATSAPP_INVALID_STATE: status.FAILED_PRECONDITION,
};

/**
 * A cancellation is CANCELLED (the engine keeps the resource as it was) when nothing was written,
 * and UNKNOWN, as for a timeout, when a write may have reached the API.
 */
function statusOf(error: WhatsAppError): status {
  if (error instanceof CancelledError) return error.mayHaveWritten ? status.UNKNOWN : status.CANCELLED;
  return STATUS_OF[error.code] ?? status.UNKNOWN;
}

/**
 * The gRPC status of a failed call: the error's message, after its `ERR_WHATSAPP_*` code when it
 * has one, with every secret the call knows of redacted (the package's messages hold none; an
 * unexpected error's message is not trusted).
 */
export function toRpcStatus(error: unknown, secrets: Iterable<string>): RpcStatus {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof WhatsAppError) {
    return {
      code: statusOf(error),
      details: redact(`${error.code}: ${message}`, secrets),
    };
  }
  if (error instanceof RpcRefusal) return { code: error.code, details: redact(message, secrets) };
  return {
    code: status.INTERNAL,
    details: redact(`internal error in the whatsapp plugin: ${message}`, secrets),
  };
}
