/**
 * A local emulator of the Sinch WhatsApp media-provider API (and of the messages endpoint that uses
 * the providers), with fault injection, for tests, benchmarks and offline development; and a small
 * storage server that wants a provider's credentials.
 * @packageDocumentation
 */
export { EmulatorError, type EmulatorErrorCode } from "../errors/emulator-error";
export type { EmulatorCounters } from "./counters";
export { type EmulatorFaults, type FaultKind, SCRIPT_STEPS, type ScriptStep } from "./faults";
export type { MediaDownload, MessageFailureReason } from "./media-download";
export type { SentMessage } from "./message-log";
export {
  MEDIA_RULES,
  MEDIA_TYPES,
  MESSAGE_TYPES,
  type MediaType,
  type MessageType,
  sendMessageSchema,
} from "./message-schema";
export type { EmulatorOptions } from "./options";
export { type Emulator, startEmulator } from "./server";
export {
  type StorageFile,
  type StorageRedirect,
  type StorageRequestRecord,
  type StorageServer,
  type StorageServerOptions,
  startStorageServer,
} from "./storage-server";
