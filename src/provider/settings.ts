import { z } from "zod";
import type { ConnectionOptions } from "../client/dispatcher";
import { ConfigurationError } from "../errors/configuration-error";
import { botIdSchema } from "../types/bot-id";

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
 * not the whole process; a bot id is checked here, like the counts, so that one breaking the rule
 * of bot ids is never sent (CheckConfig names it first). The metadata documents the plugin's provider config.
 */
export const settingsSchema = z.object({
  botId: botIdSchema.optional().meta({
    description:
      "The bot of every MediaProvider that sets no `botId`: one path segment as it is (letters, digits and `-._~!$&'()*+,;=:@`; no `/` or `%`; not `.` or `..`).",
  }),
  region: z
    .string()
    .optional()
    .meta({ description: "`us1` or `eu1`: the region of every MediaProvider that sets no endpoint." }),
  baseUrl: z.string().optional().meta({
    description:
      "A base URL instead of a region (proxy, emulator) for every MediaProvider that sets no endpoint.",
  }),
  apiToken: z.string().optional().meta({
    secret: true,
    description:
      "The bot's API token for every MediaProvider that sets no `apiToken`; read at each operation, so a rotated token is used by refresh and destroy too.",
  }),
  maxConcurrency: count(1).meta({ description: "Most requests in flight to one API host (default 8)." }),
  maxRetries: count(0).meta({ description: "Retries of a failed request (default 8)." }),
  retryMinDelayMs: count(1).meta({
    description: "First backoff in ms (default 200, doubling up to 10 s, `Retry-After` honoured).",
  }),
  callTimeoutMs: count(1).meta({
    description: "Most time for one API call, its retries included, in ms (default 120,000).",
  }),
  maxResponseBytes: count(1).meta({
    description:
      "Most bytes of an API answer (default 2,097,152: 2 MiB, some 20,000 providers); a larger one fails with ERR_WHATSAPP_RESPONSE_TOO_LARGE.",
  }),
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
  maxResponseBytes: "WHATSAPP_MAX_RESPONSE_BYTES",
};

/** The connection options the tuning settings give a client (undefined ones keep the client's defaults). */
export function connectionSettings(settings: Settings): ConnectionOptions {
  return {
    maxConcurrency: settings.maxConcurrency,
    retry: { maxRetries: settings.maxRetries, minDelayMs: settings.retryMinDelayMs },
    callTimeoutMs: settings.callTimeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
  };
}

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
