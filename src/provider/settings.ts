import { ConfigurationError } from "../errors/configuration-error";

/**
 * Settings the provider process takes from the stack config (`whatsapp:*`, handed to
 * `configure`) and the environment (`WHATSAPP_*`), config first. Resource inputs win over both.
 */
export interface Settings {
  botId?: string | undefined;
  region?: string | undefined;
  baseUrl?: string | undefined;
  apiToken?: string | undefined;
  maxConcurrency?: number | undefined;
  maxRetries?: number | undefined;
  retryMinDelayMs?: number | undefined;
}

/** Stack config namespace and the keys read from it. */
export const CONFIG_NAMESPACE = "whatsapp";

/** The environment variable behind each setting. */
export const ENV_VARS: Record<keyof Settings, string> = {
  botId: "WHATSAPP_BOT_ID",
  region: "WHATSAPP_REGION",
  baseUrl: "WHATSAPP_BASE_URL",
  apiToken: "WHATSAPP_API_TOKEN",
  maxConcurrency: "WHATSAPP_MAX_CONCURRENCY",
  maxRetries: "WHATSAPP_MAX_RETRIES",
  retryMinDelayMs: "WHATSAPP_RETRY_MIN_DELAY_MS",
};

const NUMERIC: ReadonlySet<keyof Settings> = new Set(["maxConcurrency", "maxRetries", "retryMinDelayMs"]);

/** What `configure` hands over: a lookup of namespaced stack config keys. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

function toNumber(key: keyof Settings, source: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (key === "maxRetries" ? 0 : 1)) {
    throw new ConfigurationError(
      `${source} must be a whole number${key === "maxRetries" ? "" : " above 0"}; it is "${raw}".`,
    );
  }
  return value;
}

/** Settings from the stack config, with the environment filling what the config lacks. */
export function readSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const settings: Record<string, string | number> = {};
  for (const key of Object.keys(ENV_VARS) as (keyof Settings)[]) {
    const fromConfig = config?.get(`${CONFIG_NAMESPACE}:${key}`);
    const source = fromConfig !== undefined ? `${CONFIG_NAMESPACE}:${key}` : ENV_VARS[key];
    const raw = fromConfig ?? env[ENV_VARS[key]];
    if (raw === undefined || raw === "") continue;
    settings[key] = NUMERIC.has(key) ? toNumber(key, source, raw) : raw;
  }
  return settings as Settings;
}
