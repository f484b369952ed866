export { ApiError, type ApiErrorDetails, BadRequestError, UnauthorizedError } from "./api-error";
export { ConfigurationError } from "./configuration-error";
export { EmulatorError, type EmulatorErrorCode } from "./emulator-error";
export { InvalidResponseError } from "./invalid-response-error";
export { NetworkError } from "./network-error";
export { ProviderExistsError } from "./provider-exists-error";
export {
  VerificationError,
  type VerificationErrorDetails,
  type VerificationFailureKind,
} from "./verification-error";
export { WhatsAppError, type WhatsAppErrorCode } from "./whatsapp-error";
export { WriteNotConfirmedError } from "./write-not-confirmed-error";
