import { z } from "zod";

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

function hasNoCredentials(value: string): boolean {
  const url = new URL(value);
  return url.username === "" && url.password === "";
}

/** Why a string is not an absolute http(s) URL without credentials, phrased to follow its name. */
export const HTTP_URL_MESSAGES = {
  notHttp: "must be an absolute http or https URL",
  credentials: "must not contain credentials (user:password@)",
} as const;

/**
 * An absolute http or https URL without credentials in it (`user:password@`): a base URL, a
 * storage URL to verify, a media URL. Credentials belong in their own inputs, where they are kept
 * secret. Stops at the first rule broken, so one value gets one message.
 */
export const httpUrlSchema = z
  .string({ message: "must be a string" })
  .refine(isHttpUrl, { message: HTTP_URL_MESSAGES.notHttp, abort: true })
  .refine(hasNoCredentials, { message: HTTP_URL_MESSAGES.credentials, abort: true });

/** The first rule of {@link httpUrlSchema} that `value` breaks, or `undefined` when it holds. */
export function httpUrlProblem(value: unknown): string | undefined {
  const result = httpUrlSchema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}
