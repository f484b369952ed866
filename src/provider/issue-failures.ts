import type { dynamic } from "@pulumi/pulumi";
import type { z } from "zod";
import { valueAt } from "../utils/value-at";

/** What the checked values are called in messages. */
export interface Subject {
  /** The values as a whole: `inputs`. */
  whole: string;
  /** What one key is: `an input of MediaProvider`. */
  key: string;
}

/**
 * One failure per property that breaks a schema, from the first issue about it: the rule to fix
 * first. Issues `skip` accepts are left out (values not known yet).
 */
export function issueFailures(
  issues: readonly z.core.$ZodIssue[],
  given: unknown,
  subject: Subject,
  skip: (issue: z.core.$ZodIssue) => boolean = () => false,
): dynamic.CheckFailure[] {
  const failures = new Map<string, dynamic.CheckFailure>();
  for (const issue of issues) {
    if (skip(issue)) continue;
    for (const property of issueProperties(issue, subject.whole)) {
      if (failures.has(property)) continue;
      failures.set(property, {
        property,
        reason: `${property} ${describeIssue(issue, valueAt(given, issue.path), subject.key)}`,
      });
    }
  }
  return [...failures.values()];
}

/** The dotted properties an issue is about: one per unknown key, else its path. */
function issueProperties(issue: z.core.$ZodIssue, whole: string): string[] {
  const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
  return keys.map(
    (key) => [...issue.path, ...(key === undefined ? [] : [key])].map(String).join(".") || whole,
  );
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown, key: string): string {
  if (issue.code === "unrecognized_keys") return `is not ${key}; remove it`;
  if (issue.code === "invalid_type") {
    return value === undefined
      ? "is required"
      : `must be ${issue.expected === "object" ? "an" : "a"} ${issue.expected}`;
  }
  return issue.message;
}
