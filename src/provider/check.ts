import type { dynamic } from "@pulumi/pulumi";
import type { z } from "zod";
import { isRegion, REGIONS } from "../types/regions";
import { compact } from "../utils/compact";
import { valueAt } from "../utils/value-at";
import { currentSettings } from "./context";
import { inputsSchema } from "./inputs";
import { legacyNameFailures } from "./safe-name";
import { ENV_VARS } from "./settings";
import { isUnknownAt, UNKNOWN } from "./unknown";

type Props = Record<string, unknown>;

function known(value: unknown): value is string {
  return typeof value === "string" && value !== UNKNOWN && value.length > 0;
}

/**
 * Validates the inputs without any network call, resolves the bot id (input, stack config,
 * environment) so that moving to another bot is a replacement, and picks the name: the given
 * one, else the one chosen on an earlier run, else the resource's auto-name. Values not known
 * yet during preview pass.
 */
export async function check(olds: Props, news: Props): Promise<dynamic.CheckResult> {
  const settings = await currentSettings();
  const { __provider: _, autoName, ...given } = news;
  const failures: dynamic.CheckFailure[] = [];

  const parsed = inputsSchema.safeParse({ ...given, autoName });
  // Providers named before the 2020-03-10 rules may break them; such a name can still be adopted
  // (then read, refreshed and deleted), though the API refuses to write it again.
  const legacyName = given.adoptExisting === true && typeof given.name === "string" && given.name.length > 0;
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (isUnknownAt(given, issue.path)) continue;
      if (legacyName && issue.path[0] === "name") continue;
      const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
      for (const key of keys) {
        const property =
          [...issue.path, ...(key === undefined ? [] : [key])].map(String).join(".") || "inputs";
        // One rule per property: the first is the one to fix first.
        if (failures.some((f) => f.property === property)) continue;
        failures.push({
          property,
          reason: `${property} ${describeIssue(issue, valueAt(given, issue.path))}`,
        });
      }
    }
  }

  if (legacyName) failures.push(...legacyNameFailures(given.name));
  const botId = given.botId ?? settings.botId;
  if (botId === undefined) {
    failures.push({
      property: "botId",
      reason: `No bot id: set botId on the resource, or stack config whatsapp:botId, or ${ENV_VARS.botId}.`,
    });
  }
  if (given.apiToken === undefined && !settings.apiToken) {
    failures.push({
      property: "apiToken",
      reason: `No API token: set apiToken on the resource, or run 'pulumi config set --secret whatsapp:apiToken <token>', or set ${ENV_VARS.apiToken}.`,
    });
  }
  if (given.baseUrl === undefined && given.region === undefined) failures.push(...endpointFailures(settings));

  const name = given.name ?? (known(olds.name) ? olds.name : autoName);
  const inputs = compact({ ...given, botId, name, type: given.type ?? "www" });
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === "unrecognized_keys") return "is not an input of MediaProvider; remove it";
  if (issue.code === "invalid_type") {
    return value === undefined
      ? "is required"
      : `must be ${issue.expected === "object" ? "an" : "a"} ${issue.expected}`;
  }
  return issue.message;
}

function endpointFailures(settings: {
  region?: string | undefined;
  baseUrl?: string | undefined;
}): dynamic.CheckFailure[] {
  if (settings.baseUrl !== undefined) {
    return URL.canParse(settings.baseUrl) && /^https?:$/.test(new URL(settings.baseUrl).protocol)
      ? []
      : [
          {
            property: "baseUrl",
            reason: `The configured base URL is not an absolute http(s) URL (whatsapp:baseUrl or ${ENV_VARS.baseUrl}).`,
          },
        ];
  }
  if (settings.region === undefined) {
    return [
      {
        property: "region",
        reason: `No endpoint: set region (${REGIONS.join(" or ")}) or baseUrl on the resource, or stack config whatsapp:region / whatsapp:baseUrl, or ${ENV_VARS.region} / ${ENV_VARS.baseUrl}.`,
      },
    ];
  }
  return isRegion(settings.region)
    ? []
    : [
        {
          property: "region",
          reason: `The configured region "${settings.region}" is unknown: use ${REGIONS.join(" or ")} (whatsapp:region or ${ENV_VARS.region}).`,
        },
      ];
}
