import { spawnSync } from "node:child_process";
import { basename, dirname } from "node:path";
import { z } from "zod";
import type { ConfigSource } from "../provider/settings";
import { errnoOrMessage, firstLine } from "../utils/error-text";
import { structuredValueError } from "./stack-config-errors";

/** What `pulumi config --json` prints: each key with its value (`objectValue` too when structured). */
const pulumiConfigSchema = z.record(
  z.string(),
  z.object({ value: z.string().optional(), objectValue: z.unknown().optional() }),
);

/**
 * Why `pulumi config` gave no config: it was not run (no `pulumi` on PATH, or a file whose name
 * names no stack), or it failed.
 */
export type PulumiConfigFailure = { kind: "not-run" } | { kind: "failed"; reason: string };

/** Most time `pulumi config` may take; it reads a backend that may be remote. */
const PULUMI_TIMEOUT_MS = 60_000;

/** The stack a `Pulumi.<stack>.yaml` file belongs to, or undefined for another file name. */
export function stackNameOf(file: string): string | undefined {
  return /^Pulumi\.(.+)\.ya?ml$/.exec(basename(file))?.[1];
}

/**
 * The config of the stack of `file` as the Pulumi CLI shows it: `pulumi config --show-secrets
 * --json --stack <stack>`, run in the file's folder. Unlike reading the file, this decrypts with
 * every secrets provider (Pulumi Cloud, ESC, a KMS), and includes the project's values.
 */
export function readPulumiConfig(file: string, env: NodeJS.ProcessEnv): ConfigSource | PulumiConfigFailure {
  const stack = stackNameOf(file);
  if (stack === undefined) return { kind: "not-run" };
  const result = spawnSync("pulumi", ["config", "--show-secrets", "--json", "--stack", stack], {
    cwd: dirname(file),
    env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: PULUMI_TIMEOUT_MS,
  });
  if (result.error !== undefined) {
    const code = errnoOrMessage(result.error);
    return code === "ENOENT" ? { kind: "not-run" } : { kind: "failed", reason: code };
  }
  if (result.status !== 0) {
    return { kind: "failed", reason: firstLine(result.stderr.trim() || `exit code ${result.status}`) };
  }
  let parsed: z.infer<typeof pulumiConfigSchema>;
  try {
    parsed = pulumiConfigSchema.parse(JSON.parse(result.stdout));
  } catch {
    return { kind: "failed", reason: "its output is not the JSON of `pulumi config --json`" };
  }
  const values = new Map(Object.entries(parsed));
  return {
    get(key) {
      const entry = values.get(key);
      if (entry?.objectValue !== undefined) throw structuredValueError(file, key);
      return entry?.value;
    },
  };
}
