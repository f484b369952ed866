import { z } from "zod";
import { httpUrlSchema } from "./http-url";
import { VERIFY_MAX_TIMEOUT_MS, type VerifyOptions } from "./verify-options";

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
