/**
 * Config step of the e2e engine driver: a stack's config as the engine hands it to the program and
 * the provider. The project's `config:` values from `Pulumi.yaml` come first, the stack file
 * `Pulumi.<stack>.yaml` overrides them, and `secure:` values are decrypted with the stack's
 * passphrase (Pulumi's passphrase secrets provider) and listed as secret keys.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { decryptValue } from "../../../src/utils/pulumi-secrets";
import type { Project } from "./program";

export interface StackConfig {
  config: Record<string, string>;
  secretKeys: string[];
}

type Value = string | number | boolean | { value?: unknown; secure?: string };

/** Reads the config of `stack` of `project`; `passphrase` decrypts its `secure:` values. */
export function readStackConfig(project: Project, stack: string, passphrase?: string): StackConfig {
  const projectFile = parse(readFileSync(path.join(project.root, "Pulumi.yaml"), "utf8")) as {
    config?: Record<string, Value>;
  };
  const stackPath = path.join(project.root, `Pulumi.${stack}.yaml`);
  const stackFile = existsSync(stackPath)
    ? (parse(readFileSync(stackPath, "utf8")) as { encryptionsalt?: string; config?: Record<string, Value> })
    : {};
  const result: StackConfig = { config: {}, secretKeys: [] };
  const entries = [...Object.entries(projectFile.config ?? {}), ...Object.entries(stackFile.config ?? {})];
  for (const [key, value] of entries) {
    const namespaced = key.includes(":") ? key : `${project.name}:${key}`;
    const secure = typeof value === "object" ? value.secure : undefined;
    if (secure === undefined) {
      result.config[namespaced] = String(typeof value === "object" ? value.value : value);
      continue;
    }
    result.config[namespaced] = decrypt(key, secure, stackFile.encryptionsalt, passphrase);
    result.secretKeys.push(namespaced);
  }
  return result;
}

function decrypt(
  key: string,
  secure: string,
  salt: string | undefined,
  passphrase: string | undefined,
): string {
  if (!passphrase || !salt) throw new Error(`${key} is encrypted: give the passphrase`);
  return decryptValue(passphrase, salt, secure);
}
