import { CONFIG_NAMESPACE, type ConfigSource } from "../provider/settings";
import type { Props } from "./wire-values";

/** A config value as the settings read it: strings as they are, anything else as JSON (as the engine writes `variables`). */
function asConfigString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The provider's config as the settings code reads the dynamic resource's (`whatsapp:<key>`):
 * from the engine's `variables` (`whatsapp:config:<key>`), else from its `args` (the provider's
 * inputs, secrets unwrapped).
 */
export function pluginConfigSource(variables: ConfigSource, args: Props): ConfigSource {
  const prefix = `${CONFIG_NAMESPACE}:`;
  return {
    get(key) {
      if (!key.startsWith(prefix)) return undefined;
      const name = key.slice(prefix.length);
      return variables.get(`${prefix}config:${name}`) ?? asConfigString(args[name]);
    },
  };
}
