/**
 * Requests to a customer's storage with a media provider's credentials, as WhatsApp makes them:
 * deploy-time verification (the provider) and media downloads (the emulator).
 */
export { StorageRequestError } from "../errors/storage-request-error";
export { authorizationHeader, credentialSecrets } from "./authorization";
export { urlForDisplay } from "./display-url";
export { checkRedirect, MAX_STORAGE_REDIRECTS } from "./redirect-policy";
export { discardBody, requestStorage, type StorageResponse } from "./storage-request";
export { verifyCredentials } from "./verify-credentials";
