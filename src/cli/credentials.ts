import type { ClientOptions } from "../client/media-provider-client";
import {
  CONFIG_NAMESPACE,
  connectionSettings,
  ENV_VARS,
  readSettings,
  type Settings,
} from "../provider/settings";
import { botIdProblem } from "../types/bot-id";
import { httpUrlProblem } from "../types/http-url";
import { isRegion, REGIONS } from "../types/regions";
import { type FlagValues, UsageError } from "./args";
import { readStackConfig } from "./stack-config";

/** The flags that say which bot to reach, where, and with which token. */
export const CREDENTIAL_FLAGS = {
  "bot-id": { type: "string" },
  region: { type: "string" },
  "base-url": { type: "string" },
  token: { type: "string" },
  "stack-config": { type: "string" },
} as const;

/** Help lines of {@link CREDENTIAL_FLAGS}. */
export const CREDENTIAL_USAGE = `Bot and credentials, each from the flag, else the --stack-config file, else the environment:
  --bot-id <id>                the bot; whatsapp:botId, ${ENV_VARS.botId}
  ${`--region <${REGIONS.join("|")}>`.padEnd(29)}its region; whatsapp:region, ${ENV_VARS.region}
  --base-url <url>             an API base URL instead of a region (a proxy, the emulator);
                               whatsapp:baseUrl, ${ENV_VARS.baseUrl}
  --token <token>              the bot's API token; whatsapp:apiToken, ${ENV_VARS.apiToken}
                               (prefer those: a flag shows in the process list and history)
  --stack-config <file>        a stack's Pulumi.<stack>.yaml, read with 'pulumi config' when
                               the pulumi CLI is on PATH, else read directly, its secure
                               values decrypted with PULUMI_CONFIG_PASSPHRASE(_FILE)
  A --region or --base-url flag replaces the endpoint of the file and the environment.
`;

/** The stack config key behind each flag that has one. */
const FLAG_OF_KEY: Record<string, "bot-id" | "region" | "base-url" | "token"> = {
  [`${CONFIG_NAMESPACE}:botId`]: "bot-id",
  [`${CONFIG_NAMESPACE}:region`]: "region",
  [`${CONFIG_NAMESPACE}:baseUrl`]: "base-url",
  [`${CONFIG_NAMESPACE}:apiToken`]: "token",
};

/** Refuses a --bot-id, or endpoint flags, that conflict or are wrong, naming the flag. */
function checkFlags(flags: FlagValues<typeof CREDENTIAL_FLAGS>): void {
  const botIdIssue = flags["bot-id"] === undefined ? undefined : botIdProblem(flags["bot-id"]);
  if (botIdIssue !== undefined) throw new UsageError(`--bot-id: ${botIdIssue}`);
  const { region, "base-url": baseUrl } = flags;
  if (region !== undefined && baseUrl !== undefined) {
    throw new UsageError("give --region or --base-url, not both");
  }
  if (region !== undefined && !isRegion(region)) {
    throw new UsageError(`--region must be ${REGIONS.join(" or ")}`);
  }
  // The client's own rule, reported against the flag.
  const problem = baseUrl ? httpUrlProblem(baseUrl) : undefined;
  if (problem !== undefined)
    throw new UsageError(`--base-url ${problem} (for example https://eu1.whatsapp.api.sinch.com)`);
}

/** The bot, token and endpoint of the settings, or a {@link UsageError} naming where to give the first missing. */
function requireBot(settings: Settings): Pick<ClientOptions, "botId" | "apiToken" | "region" | "baseUrl"> {
  const { botId, apiToken, region, baseUrl } = settings;
  if (!botId) {
    throw new UsageError(
      `no bot id: give --bot-id, or set whatsapp:botId in the --stack-config file, or ${ENV_VARS.botId}`,
    );
  }
  if (!apiToken) {
    throw new UsageError(
      `no API token: set ${ENV_VARS.apiToken}, or whatsapp:apiToken in the --stack-config file, or give --token`,
    );
  }
  if (!region && !baseUrl) {
    throw new UsageError(
      `no endpoint: give --region (${REGIONS.join(" or ")}) or --base-url, or set whatsapp:region / whatsapp:baseUrl in the --stack-config file, or ${ENV_VARS.region} / ${ENV_VARS.baseUrl}`,
    );
  }
  return { botId, apiToken, region, baseUrl };
}

/**
 * The client options for the bot the flags, the stack config file and the environment name, in
 * that order of precedence (the environment also gives the connection settings). A region or
 * base URL given as a flag replaces both endpoint settings of the other sources. Throws
 * {@link UsageError} when the bot, the token or the endpoint is given nowhere.
 */
export function resolveClientOptions(
  flags: FlagValues<typeof CREDENTIAL_FLAGS>,
  env: NodeJS.ProcessEnv = process.env,
): ClientOptions {
  checkFlags(flags);
  const endpointFlag = flags.region !== undefined || flags["base-url"] !== undefined;
  const stack = flags["stack-config"] === undefined ? undefined : readStackConfig(flags["stack-config"], env);
  // Flags and the stack file as one config source, so that readSettings puts the environment
  // last. An empty string counts as unset there without falling back to the environment: that
  // is how an endpoint flag hides the endpoint settings of the other sources.
  const settings = readSettings(
    {
      get(key) {
        const flag = Object.hasOwn(FLAG_OF_KEY, key) ? FLAG_OF_KEY[key] : undefined;
        const fromFlag = flag === undefined ? undefined : flags[flag];
        if (fromFlag !== undefined) return fromFlag;
        if (endpointFlag && (flag === "region" || flag === "base-url")) return "";
        return stack?.get(key);
      },
    },
    env,
  );
  return {
    ...requireBot(settings),
    ...connectionSettings(settings),
  };
}
