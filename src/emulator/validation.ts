import type { z } from "zod";

/**
 * Renders zod issues as one line, `path: rule; path: rule`, naming each field and the rule it broke.
 * Values are never quoted, so secrets in the input cannot leak into the text.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map(describeIssue).join("; ");
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length === 0 ? "body" : issue.path.map(String).join(".");
  // A bad record key only says "Invalid key in record"; the rule it broke is in the nested issues.
  const message =
    issue.code === "invalid_key" ? issue.issues.map((inner) => inner.message).join(", ") : issue.message;
  return `${path}: ${message}`;
}
