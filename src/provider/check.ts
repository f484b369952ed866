import type { dynamic } from "@pulumi/pulumi";
import type { z } from "zod";
import { httpUrlProblem } from "../types/http-url";
import { PROVIDER_TYPE } from "../types/media-provider";
import { isRegion, REGIONS } from "../types/regions";
import { compact } from "../utils/compact";
import { valueAt } from "../utils/value-at";
import { currentSettings } from "./context";
import { inputsSchema } from "./inputs";
import { legacyNameFailures } from "./safe-name";
import { ENV_VARS, noApiTokenMessage, noBotIdMessage, type Settings } from "./settings";
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
  const botId = given.botId ?? settings.botId;
  const failures = [
    ...schemaFailures(given, autoName),
    ...(isAdoptedName(given) ? legacyNameFailures(given.name) : []),
    ...settingFailures(given, botId, settings),
  ];
  const name = given.name ?? (known(olds.name) ? olds.name : autoName);
  const inputs = compact({ ...given, botId, name, type: given.type ?? PROVIDER_TYPE });
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

/** One failure per property that breaks the inputs' schema: the first rule is the one to fix first. */
function schemaFailures(given: Props, autoName: unknown): dynamic.CheckFailure[] {
  const parsed = inputsSchema.safeParse({ ...given, autoName });
  if (parsed.success) return [];
  const legacyName = isAdoptedName(given);
  const failures = new Map<string, dynamic.CheckFailure>();
  for (const issue of parsed.error.issues) {
    if (isUnknownAt(given, issue.path) || (legacyName && issue.path[0] === "name")) continue;
    for (const property of issueProperties(issue)) {
      if (failures.has(property)) continue;
      failures.set(property, {
        property,
        reason: `${property} ${describeIssue(issue, valueAt(given, issue.path))}`,
      });
    }
  }
  return [...failures.values()];
}

/**
 * A name given with `adoptExisting`: providers named before the 2020-03-10 rules may break them and
 * can still be adopted (then read, refreshed and deleted) when a DELETE can address them alone,
 * though the API refuses to write them again.
 */
function isAdoptedName(given: Props): boolean {
  return given.adoptExisting === true && typeof given.name === "string" && given.name.length > 0;
}

/** The dotted properties an issue is about: one per unknown key, else its path. */
function issueProperties(issue: z.core.$ZodIssue): string[] {
  const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
  return keys.map(
    (key) => [...issue.path, ...(key === undefined ? [] : [key])].map(String).join(".") || "inputs",
  );
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

/** What the inputs leave to the stack config and environment, and is missing or wrong there. */
function settingFailures(given: Props, botId: unknown, settings: Settings): dynamic.CheckFailure[] {
  const failures: dynamic.CheckFailure[] = [];
  if (botId === undefined) {
    failures.push({
      property: "botId",
      reason: noBotIdMessage(),
    });
  }
  if (given.apiToken === undefined && !settings.apiToken) {
    failures.push({ property: "apiToken", reason: noApiTokenMessage(known(botId) ? botId : undefined) });
  }
  if (given.baseUrl === undefined && given.region === undefined) failures.push(...endpointFailures(settings));
  return failures;
}

function endpointFailures({ region, baseUrl }: Settings): dynamic.CheckFailure[] {
  if (baseUrl !== undefined) {
    const problem = httpUrlProblem(baseUrl);
    return problem === undefined
      ? []
      : [
          {
            property: "baseUrl",
            reason: `The configured base URL ${problem} (whatsapp:baseUrl or ${ENV_VARS.baseUrl}).`,
          },
        ];
  }
  if (region === undefined) {
    return [
      {
        property: "region",
        reason: `No endpoint: set region (${REGIONS.join(" or ")}) or baseUrl on the resource, or stack config whatsapp:region / whatsapp:baseUrl, or ${ENV_VARS.region} / ${ENV_VARS.baseUrl}.`,
      },
    ];
  }
  return isRegion(region)
    ? []
    : [
        {
          property: "region",
          reason: `The configured region "${region}" is unknown: use ${REGIONS.join(" or ")} (whatsapp:region or ${ENV_VARS.region}).`,
        },
      ];
}
