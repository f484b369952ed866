import { z } from "zod";
import { ConfigurationError } from "../errors/configuration-error";

/** Stack config namespace and the keys read from it. */
export const CONFIG_NAMESPACE = "whatsapp";

/** A count from a config string: `min` or more, whole. */
function count(min: 0 | 1) {
  const message = `must be a whole number${min === 0 ? "" : " above 0"}`;
  return z.coerce.number<string>({ message }).int(message).min(min, message).optional();
}

/**
 * Settings the provider process takes from the stack config (`whatsapp:*`, handed to
 * `configure`) and the environment (`WHATSAPP_*`), config first. Resource inputs win over both.
 * Endpoint values are checked where they are used (`check`), so that a bad one fails a resource,
 * not the whole process.
 */
const settingsSchema = z.object({
  botId: z.string().optional(),
  region: z.string().optional(),
  baseUrl: z.string().optional(),
  apiToken: z.string().optional(),
  maxConcurrency: count(1),
  maxRetries: count(0),
  retryMinDelayMs: count(1),
  callTimeoutMs: count(1),
});

/** The provider process's settings, from {@link readSettings}. */
export type Settings = z.output<typeof settingsSchema>;

/** The environment variable behind each setting. */
export const ENV_VARS: Record<keyof Settings, string> = {
  botId: "WHATSAPP_BOT_ID",
  region: "WHATSAPP_REGION",
  baseUrl: "WHATSAPP_BASE_URL",
  apiToken: "WHATSAPP_API_TOKEN",
  maxConcurrency: "WHATSAPP_MAX_CONCURRENCY",
  maxRetries: "WHATSAPP_MAX_RETRIES",
  retryMinDelayMs: "WHATSAPP_RETRY_MIN_DELAY_MS",
  callTimeoutMs: "WHATSAPP_CALL_TIMEOUT_MS",
};

/** The message when no API token is found anywhere: said by `check` and by every operation. */
export function noApiTokenMessage(botId: string | undefined): string {
  const forBot = botId === undefined ? "" : ` for bot ${botId}`;
  return `No API token${forBot}: set apiToken, or run 'pulumi config set --secret ${CONFIG_NAMESPACE}:apiToken <token>', or set ${ENV_VARS.apiToken}.`;
}

/** The message when no bot id is found anywhere: said by `check` and by `getMediaProviders`. */
export function noBotIdMessage(): string {
  return `No bot id: set botId, or stack config ${CONFIG_NAMESPACE}:botId, or ${ENV_VARS.botId}.`;
}

/** What `configure` hands over: a lookup of namespaced stack config keys. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Settings from the stack config, with the environment filling what the config lacks. */
export function readSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const raw: Record<string, string> = {};
  const sources: Record<string, string> = {};
  for (const key of Object.keys(ENV_VARS) as (keyof Settings)[]) {
    const fromConfig = config?.get(`${CONFIG_NAMESPACE}:${key}`);
    const value = fromConfig ?? env[ENV_VARS[key]];
    if (value === undefined || value === "") continue;
    raw[key] = value;
    sources[key] = fromConfig !== undefined ? `${CONFIG_NAMESPACE}:${key}` : ENV_VARS[key];
  }
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = String(issue?.path[0]);
  throw new ConfigurationError(`${sources[key]} ${issue?.message}; it is "${raw[key]}".`);
}
