import { z } from "zod";
import { httpUrlSchema } from "./http-url";

/** Time allowed for a whole verification (redirects included) when `timeoutMs` is not given. */
export const VERIFY_DEFAULT_TIMEOUT_MS = 10_000;
/** Longest `timeoutMs` accepted: a deployment should not hang on a storage for longer. */
export const VERIFY_MAX_TIMEOUT_MS = 120_000;

/**
 * How to check a media provider's credentials against its storage: the `verify` input as `check`
 * has validated it. Defaults are not filled in (so the stored inputs stay as written): `method`
 * HEAD, any 2xx status, `timeoutMs` {@link VERIFY_DEFAULT_TIMEOUT_MS}.
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

/**
 * The `verify` input of a media provider: a URL of a file on the storage, fetched with the
 * provider's credentials at deploy time so that wrong credentials fail the deployment instead of a
 * customer's message.
 */
export const verifySchema = z.strictObject({
  /** A file on the storage; WhatsApp's download uses the same origin and credentials. */
  url: httpUrlSchema,
  method: z.enum(["HEAD", "GET"], { message: 'must be "HEAD" or "GET"' }).optional(),
  expectStatus: z
    .number({ message: "must be a number" })
    .int("must be a whole number")
    .min(100, "must be an HTTP status between 100 and 599")
    .max(599, "must be an HTTP status between 100 and 599")
    .optional(),
  timeoutMs: z
    .number({ message: "must be a number" })
    .int("must be a whole number of milliseconds")
    .min(1, "must be at least 1 ms")
    .max(VERIFY_MAX_TIMEOUT_MS, `must be at most ${VERIFY_MAX_TIMEOUT_MS} ms (2 minutes)`)
    .optional(),
}) satisfies z.ZodType<VerifyOptions>;
