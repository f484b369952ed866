import type { dynamic } from "@pulumi/pulumi";
import { PROVIDER_TYPE } from "../types/media-provider";
import { compact } from "../utils/compact";
import { currentSettings } from "./context";
import { inputsSchema } from "./inputs";
import { issueFailures } from "./issue-failures";
import { legacyNameFailures } from "./safe-name";
import { settingFailures } from "./setting-failures";
import { isKnownString, isUnknownAt } from "./unknown";

type Props = Record<string, unknown>;

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
  const name = given.name ?? (isKnownString(olds.name) ? olds.name : autoName);
  const inputs = compact({ ...given, botId, name, type: given.type ?? PROVIDER_TYPE });
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

/** One failure per property that breaks the inputs' schema: the first rule is the one to fix first. */
function schemaFailures(given: Props, autoName: unknown): dynamic.CheckFailure[] {
  const parsed = inputsSchema.safeParse({ ...given, autoName });
  if (parsed.success) return [];
  const legacyName = isAdoptedName(given);
  return issueFailures(
    parsed.error.issues,
    given,
    { whole: "inputs", key: "an input of MediaProvider" },
    (issue) => isUnknownAt(given, issue.path) || (legacyName && issue.path[0] === "name"),
  );
}

/**
 * A name given with `adoptExisting`: providers named before the 2020-03-10 rules may break them and
 * can still be adopted (then read, refreshed and deleted) when a DELETE can address them alone,
 * though the API refuses to write them again.
 */
function isAdoptedName(given: Props): boolean {
  return given.adoptExisting === true && typeof given.name === "string" && given.name.length > 0;
}
