import { z } from "zod";

/**
 * A JSON object read into a `Map` of its own keys, each value parsed by `valueSchema` and each key
 * checked by `keyProblem` (which returns why a key is refused). A plain object, or zod's `record`,
 * would lose keys such as `__proto__`. Issues name the key, e.g. `bots.b: ...`.
 */
export function mapSchema<V extends z.ZodType>(
  valueSchema: V,
  keyProblem: (key: string) => string | undefined = () => undefined,
) {
  return z
    .custom<Record<string, z.input<V>>>(
      (value) => typeof value === "object" && value !== null && !Array.isArray(value),
      "must be an object",
    )
    .transform((object, ctx) => {
      const map = new Map<string, z.output<V>>();
      for (const [key, value] of Object.entries(object)) {
        const problem = keyProblem(key);
        if (problem !== undefined) {
          ctx.issues.push({ code: "custom", path: [key], message: problem, input: key });
          continue;
        }
        const parsed = valueSchema.safeParse(value);
        if (parsed.success) map.set(key, parsed.data);
        else {
          for (const issue of parsed.error.issues) {
            ctx.issues.push({
              code: "custom",
              path: [key, ...issue.path],
              message: issue.message,
              input: value,
            });
          }
        }
      }
      return map;
    });
}
