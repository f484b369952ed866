import type { ConfigSource } from "../provider/settings";
import { readPulumiConfig } from "./pulumi-config";
import { readStackFile } from "./stack-file";

/**
 * The config of the stack whose `Pulumi.<stack>.yaml` is `file`. With the `pulumi` CLI on PATH,
 * its `pulumi config` (every secrets provider); without it, or when it fails (a note on
 * `stderr` says why), the file itself, its `secure:` values decrypted with
 * `PULUMI_CONFIG_PASSPHRASE` or `PULUMI_CONFIG_PASSPHRASE_FILE`. Throws a `ConfigurationError`
 * when the file cannot be used either.
 */
export function readStackConfig(file: string, env: NodeJS.ProcessEnv = process.env): ConfigSource {
  const fromPulumi = readPulumiConfig(file, env);
  if ("get" in fromPulumi) return fromPulumi;
  if (fromPulumi.kind === "failed") {
    process.stderr.write(`note: pulumi config failed (${fromPulumi.reason}); reading ${file} itself\n`);
  }
  return readStackFile(file, env);
}
