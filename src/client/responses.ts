import { z } from "zod";
import type { MediaProviderEntry } from "../types/media-provider";
import { toMediaProviderConfig } from "../types/media-provider-schema";

// Lenient on purpose: names are not checked against today's rule (providers made before the
// 2020-03-10 release may break it) and extra fields are dropped, so that every entry can still be
// read, adopted or deleted. Only what the provider relies on is required.
const listedConfigSchema = z
  .object({
    basic: z.object({ username: z.string(), password: z.string() }).optional(),
    bearer: z.string().optional(),
  })
  .transform(toMediaProviderConfig);

const listedProviderSchema = z.object({
  name: z.string().min(1),
  type: z.string(),
  config: listedConfigSchema,
});

/** The documented GET body; a bot with no providers may omit the list. */
const listResponseSchema = z.object({
  settings: z.object({
    application: z.object({
      media: z.object({ providers: z.array(listedProviderSchema).default([]) }).default({ providers: [] }),
    }),
  }),
});

// The documented error body of 400 and 401 is `{message, details}`; Sinch's OpenAPI file shows
// `{message, reason}`, and gateways often send `{title}`. A field that is not a string is ignored.
const text = z.string().optional().catch(undefined);
const errorBodySchema = z.object({ message: text, details: text, reason: text, title: text });

/** Providers from a GET body, or a description of what is wrong with it (no values, only paths). */
export function parseList(body: string): { providers: MediaProviderEntry[] } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { problem: body.length === 0 ? "the body is empty" : "the body is not JSON" };
  }
  const result = listResponseSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { problem: `at ${issue?.path.join(".") || "the top"}: ${issue?.message ?? "invalid"}` };
  }
  return { providers: result.data.settings.application.media.providers };
}

/** `message`, and `details` else `reason` and `title`, of an error body that is a JSON object. */
export function parseErrorBody(body: string): { message?: string | undefined; details?: string | undefined } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {};
  }
  const result = errorBodySchema.safeParse(json);
  if (!result.success) return {};
  const { message, details, reason, title } = result.data;
  return { message, details: details ?? ([reason, title].filter(Boolean).join(": ") || undefined) };
}
