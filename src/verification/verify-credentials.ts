import type { EnvHttpProxyAgent } from "undici";
import { StorageRequestError } from "../errors/storage-request-error";
import type { MediaProviderConfig } from "../types/media-provider";
import { VERIFY_DEFAULT_TIMEOUT_MS, type VerifyOptions } from "../types/verify-options";
import { PROXY_AGENT_OPTIONS, undici } from "../utils/undici";
import { authorizationHeader, credentialSecrets } from "./authorization";
import { discardBody, requestStorage, STORAGE_BODY_BYTES, type StorageResponse } from "./storage-request";
import { type Attempt, cancelledError, noAnswerError, statusError } from "./verdict";

/** A keep-alive `EnvHttpProxyAgent` (HTTP(S)_PROXY / NO_PROXY) for one verification's hops. */
function verificationAgent(timeoutMs: number): EnvHttpProxyAgent {
  const { EnvHttpProxyAgent } = undici();
  return new EnvHttpProxyAgent({
    ...PROXY_AGENT_OPTIONS,
    connections: 2,
    keepAliveTimeout: 4_000,
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

/** Only the status matters: reads a little of a GET's 2xx body (the file streams), discards the rest. */
async function consumeBody(response: StorageResponse, method: Attempt["method"], signal: AbortSignal) {
  const status = response.statusCode;
  if (method === "GET" && status >= 200 && status < 300) {
    await response.body.dump({ limit: STORAGE_BODY_BYTES, signal }).catch(() => undefined);
  } else {
    discardBody(response.body);
  }
}

/**
 * Checks a media provider's credentials against its storage before anything is written: requests
 * `verify.url` with the same `Authorization` header WhatsApp will send. A 2xx (or `expectStatus`)
 * passes; anything else throws a {@link VerificationError} (kind `wrong-credentials` for 401/403).
 * The credentials go only to the URL's origin; messages never contain a secret or the query string.
 * `verify` is the input as `check` validated it. When `cancel` aborts, the check ends at once (or
 * sends nothing, when it already has) with a {@link CancelledError}.
 */
export async function verifyCredentials(
  verify: VerifyOptions,
  config: MediaProviderConfig,
  providerName: string,
  cancel?: AbortSignal,
): Promise<void> {
  const { method = "HEAD", expectStatus, timeoutMs = VERIFY_DEFAULT_TIMEOUT_MS } = verify;
  const attempt: Attempt = { providerName, config, method, expectStatus, url: new URL(verify.url) };
  if (cancel?.aborted) throw cancelledError(attempt, "before-sending");
  const dispatcher = verificationAgent(timeoutMs);
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
  try {
    const response = await requestStorage(attempt.url, {
      method,
      authorization: authorizationHeader(config),
      dispatcher,
      signal,
      timeoutMs,
      secrets: credentialSecrets(config),
      acceptStatus: expectStatus,
    }).catch((error: unknown) => {
      if (cancel?.aborted) throw cancelledError(attempt, "headers");
      throw error instanceof StorageRequestError ? noAnswerError(attempt, error) : error;
    });
    await consumeBody(response, method, signal);
    if (cancel?.aborted) throw cancelledError(attempt, "body");
    const error = statusError(attempt, response);
    if (error !== undefined) throw error;
  } finally {
    await dispatcher.destroy().catch(() => undefined);
  }
}
