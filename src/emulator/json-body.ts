import type { z } from "zod";
import { type Answer, errorAnswer, mediaTypeOf } from "./http-io";
import { describeIssues } from "./validation";

/** A request body parsed against a schema, or the `400` to answer. */
export type ParsedBody<T> = { ok: true; data: T } | { ok: false; answer: Answer };

/**
 * Parses a JSON request body against `schema`: `Content-Type` must be `application/json`, the body
 * valid JSON, and the value must follow the schema; otherwise a `400` saying which.
 */
export function parseJsonBody<S extends z.ZodType>(
  schema: S,
  contentType: string | undefined,
  body: Buffer | undefined,
): ParsedBody<z.output<S>> {
  if (mediaTypeOf(contentType) !== "application/json") {
    return { ok: false, answer: errorAnswer(400, "Content-Type must be application/json") };
  }
  let json: unknown;
  try {
    json = JSON.parse(body?.toString("utf8") ?? "");
  } catch {
    // The parser's message quotes the body, which may hold a password: say only that it failed.
    return { ok: false, answer: errorAnswer(400, "the body is not valid JSON") };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, answer: errorAnswer(400, describeIssues(parsed.error.issues)) };
  return { ok: true, data: parsed.data };
}
