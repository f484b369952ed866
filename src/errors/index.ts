export {
  ApiError,
  type ApiErrorDetails,
  BadRequestError,
  RedirectError,
  UnauthorizedError,
} from "./api-error";
export {
  CallTimeoutError,
  type CallTimeoutErrorDetails,
  type CallTimeoutWaitingFor,
} from "./call-timeout-error";
export { CancelledError, type CancelledErrorDetails, type CancelledStage } from "./cancelled-error";
export { ConfigurationError } from "./configuration-error";
export { EmulatorError, type EmulatorErrorCode } from "./emulator-error";
export { InvalidIdError } from "./invalid-id-error";
export { InvalidResponseError } from "./invalid-response-error";
export { InvalidStateError } from "./invalid-state-error";
export { NetworkError, type NetworkErrorDetails } from "./network-error";
export { ProviderExistsError } from "./provider-exists-error";
export { ProviderNotFoundError } from "./provider-not-found-error";
export { ResponseTooLargeError, type ResponseTooLargeErrorDetails } from "./response-too-large-error";
export { UnsafeDeleteError } from "./unsafe-delete-error";
export {
  VerificationError,
  type VerificationErrorDetails,
  type VerificationFailureKind,
} from "./verification-error";
export { WhatsAppError, type WhatsAppErrorCode, type WhatsAppErrorOptions } from "./whatsapp-error";
export { WriteNotConfirmedError } from "./write-not-confirmed-error";
