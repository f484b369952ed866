import { z } from "zod";
import { httpUrlSchema } from "./http-url";
import { VERIFY_MAX_TIMEOUT_MS, type VerifyOptions } from "./verify-options";

/**
 * The `verify` input of a media provider: a URL of a file on the storage, fetched with the
 * provider's credentials at deploy time so that wrong credentials fail the deployment instead of a
 * customer's message. The metadata (documentation, type ids) makes the plugin's package schema.
 */
export const verifySchema = z
  .strictObject({
    url: httpUrlSchema.meta({
      description:
        "An absolute http(s) URL, without credentials in it, of a file on the storage. Credentials are sent only to its origin.",
    }),
    method: z
      .enum(["HEAD", "GET"], { message: 'must be "HEAD" or "GET"' })
      .meta({ id: "VerifyMethod", description: "The HTTP method of a verification." })
      .optional()
      .meta({ description: "`HEAD` (default) or `GET`, for storages that refuse HEAD." }),
    expectStatus: z
      .number({ message: "must be a number" })
      .int("must be a whole number")
      .min(100, "must be an HTTP status between 100 and 599")
      .max(599, "must be an HTTP status between 100 and 599")
      .optional()
      .meta({
        description: "The status that means success, a whole number from 100 to 599; default any 2xx.",
      }),
    timeoutMs: z
      .number({ message: "must be a number" })
      .int("must be a whole number of milliseconds")
      .min(1, "must be at least 1 ms")
      .max(VERIFY_MAX_TIMEOUT_MS, `must be at most ${VERIFY_MAX_TIMEOUT_MS} ms (2 minutes)`)
      .optional()
      .meta({
        description: "Time allowed for the whole check, redirects included: 1 to 120,000 ms; default 10,000.",
      }),
  })
  .meta({
    id: "VerifyOptions",
    description: "How to check a provider's credentials against its storage.",
  }) satisfies z.ZodType<VerifyOptions>;
