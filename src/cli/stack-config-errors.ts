import { ConfigurationError } from "../errors/configuration-error";

/** A `whatsapp:*` key of a stack holds an object or a list where a string belongs. */
export function structuredValueError(file: string, key: string): ConfigurationError {
  return new ConfigurationError(`${file}: ${key} must be a string or a secure value, not a structured value`);
}
