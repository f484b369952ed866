/** Time allowed for a whole verification (redirects included) when `timeoutMs` is not given. */
export const VERIFY_DEFAULT_TIMEOUT_MS = 10_000;
/** Longest `timeoutMs` accepted: a deployment should not hang on a storage for longer. */
export const VERIFY_MAX_TIMEOUT_MS = 120_000;

/**
 * How to check a media provider's credentials against its storage: the `verify` input as `check`
 * has validated it. Defaults are not filled in (so the stored inputs stay as written): `method`
 * HEAD, any 2xx status, `timeoutMs` 10,000 ms.
 */
export interface VerifyOptions {
  /** An absolute http(s) URL, without credentials, of a file on the storage. */
  url: string;
  /** `HEAD` (the default) or `GET`, for storages that refuse HEAD. */
  method?: "HEAD" | "GET" | undefined;
  /** The status that means success, a whole number from 100 to 599; by default any 2xx. */
  expectStatus?: number | undefined;
  /** Time allowed for the whole check, redirects included: 1 to 120,000 ms; default 10,000. */
  timeoutMs?: number | undefined;
}
