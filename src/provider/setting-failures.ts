import type { dynamic } from "@pulumi/pulumi";
import { httpUrlProblem } from "../types/http-url";
import { isRegion, REGIONS } from "../types/regions";
import { ENV_VARS, noApiTokenMessage, noBotIdMessage, type Settings } from "./settings";
import { isKnownString } from "./unknown";

/** The arguments that may leave the bot, endpoint and token to the stack config and environment. */
export interface Located {
  apiToken?: unknown;
  region?: unknown;
  baseUrl?: unknown;
}

/**
 * What the given values leave to the stack config and environment, and is missing or wrong there:
 * the rule of `check` for a MediaProvider and of `getMediaProviders` for its arguments.
 */
export function settingFailures(given: Located, botId: unknown, settings: Settings): dynamic.CheckFailure[] {
  const failures: dynamic.CheckFailure[] = [];
  if (botId === undefined) failures.push({ property: "botId", reason: noBotIdMessage() });
  if (given.apiToken === undefined && !settings.apiToken) {
    failures.push({
      property: "apiToken",
      reason: noApiTokenMessage(isKnownString(botId) ? botId : undefined),
    });
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
        reason: `No endpoint: set region (${REGIONS.join(" or ")}) or baseUrl, or stack config whatsapp:region / whatsapp:baseUrl, or ${ENV_VARS.region} / ${ENV_VARS.baseUrl}.`,
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
