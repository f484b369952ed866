import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfigurationError } from "../errors/configuration-error";
import type { ConfigSource } from "../provider/settings";
import { errnoOrMessage, firstLine } from "../utils/error-text";
import { decryptValue, passphraseFromEnv } from "../utils/pulumi-secrets";
import { structuredValueError } from "./stack-config-errors";

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A YAML file as plain data; every scalar stays a string, as Pulumi config values are. */
function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigurationError(`cannot read ${file}: ${errnoOrMessage(error)}`);
  }
  // `yaml` (no dependencies, ISC) rather than a hand-written parser: stack files are YAML written
  // by people too (comments, quoting styles, block scalars), and a partial parser would misread
  // them. Loaded here, on the one path that reads YAML, so that nothing else ever loads it.
  const { parse } = require("yaml") as typeof import("yaml");
  try {
    // The failsafe schema keeps `0123`, `true` and `1e3` as written instead of turning them into numbers.
    return parse(text, { schema: "failsafe" });
  } catch (error) {
    throw new ConfigurationError(`${file} is not valid YAML: ${firstLine(error)}`);
  }
}

/** The `config:` mapping of a parsed file, with `ns:config:key` keys in their modern `ns:key` form. */
function configOf(file: string, root: unknown): Map<string, unknown> {
  if (root === null || root === undefined) return new Map();
  if (!isMapping(root)) throw new ConfigurationError(`${file} must be a YAML mapping`);
  const config = root.config;
  // `config:` with nothing after it reads as "" under the failsafe schema.
  if (config === null || config === undefined || config === "") return new Map();
  if (!isMapping(config)) throw new ConfigurationError(`${file}: config must be a mapping of keys to values`);
  return new Map(
    Object.entries(config).map(([key, value]) => [key.replace(/^([^:]+):config:/, "$1:"), value]),
  );
}

/** Project-level values (`key: value` or `key: {value: ...}`) of the Pulumi.yaml beside a stack file. */
function projectValues(stackFile: string): Map<string, unknown> {
  for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
    const file = join(dirname(stackFile), name);
    if (!existsSync(file)) continue;
    const values = new Map<string, unknown>();
    for (const [key, value] of configOf(file, readYaml(file))) {
      if (typeof value === "string") values.set(key, value);
      else if (isMapping(value) && typeof value.value === "string") values.set(key, value.value);
    }
    return values;
  }
  return new Map();
}

/** The decrypter of a stack's `secure:` values, checked for a usable salt and passphrase on first use. */
function decrypter(file: string, salt: string | undefined, env: NodeJS.ProcessEnv) {
  return (key: string, secure: string): string => {
    if (salt === undefined) {
      throw new ConfigurationError(
        `${file}: ${key} is encrypted by a secrets provider other than a passphrase (Pulumi Cloud, a KMS), which this command cannot use without the pulumi CLI on PATH; give the value as a flag or in the environment instead`,
      );
    }
    const passphrase = passphraseFromEnv(env);
    if (passphrase === undefined) {
      throw new ConfigurationError(
        `${file}: ${key} is encrypted: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to the stack's passphrase`,
      );
    }
    try {
      return decryptValue(passphrase, salt, secure);
    } catch (error) {
      throw new ConfigurationError(`${file}: cannot decrypt ${key}: ${(error as Error).message}`);
    }
  };
}

/**
 * The config of one stack, read from its `Pulumi.<stack>.yaml` (and the project's `Pulumi.yaml`
 * beside it, for values set for every stack). `secure:` values are decrypted only when asked
 * for, with the passphrase from `PULUMI_CONFIG_PASSPHRASE` or `PULUMI_CONFIG_PASSPHRASE_FILE`.
 * Throws a {@link ConfigurationError} for a file that cannot be read or is not a stack file.
 */
export function readStackFile(file: string, env: NodeJS.ProcessEnv): ConfigSource {
  const root = readYaml(file);
  const stack = configOf(file, root);
  const project = projectValues(file);
  const salt = isMapping(root) ? root.encryptionsalt : undefined;
  if (salt !== undefined && typeof salt !== "string") {
    throw new ConfigurationError(`${file}: encryptionsalt must be a string`);
  }
  const decrypt = decrypter(file, salt, env);
  return {
    get(key) {
      const value = stack.get(key) ?? project.get(key);
      if (value === undefined || value === null || typeof value === "string") return value ?? undefined;
      if (isMapping(value) && Object.keys(value).length === 1 && typeof value.secure === "string") {
        return decrypt(key, value.secure);
      }
      throw structuredValueError(file, key);
    },
  };
}
