/**
 * Capture step of the e2e engine driver: what does a Pulumi program register?
 *
 * Runs `capture-child.cjs` in a plain `node` child process (cwd = the installed program folder) with
 * the program under `pulumi.runtime.setMocks`, and returns each registered resource as the engine's
 * resource monitor would receive it: type, name, URN, inputs in RPC form (secrets still wrapped), the
 * secret input paths, `additionalSecretOutputs`, `deleteBeforeReplace`, and the `__provider` string.
 * Stack config reaches the program through `PULUMI_CONFIG` / `PULUMI_CONFIG_SECRET_KEYS`, as under
 * `pulumi up`.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import type { PropertyMap } from "./props";

export interface StackSettings {
  /** Project name (default "project"). */
  project?: string;
  /** Stack name (default "stack"). */
  stack?: string;
  /** Stack config, namespaced keys (`whatsapp:botId`) to plain string values. */
  config?: Record<string, string>;
  /** Which config keys are secret (`pulumi config set --secret`). */
  secretKeys?: string[];
}

export interface CaptureOptions extends StackSettings {
  /** Run as `pulumi preview` (setMocks' preview flag: outputs of new resources are unknown). */
  preview?: boolean;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface RegisteredResource {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  parent: string;
  /** Inputs as sent to the engine: secrets wrapped in place, `__provider` included. */
  inputs: PropertyMap;
  /** Input paths that were secret, e.g. `["apiToken", "auth.password"]`. */
  secretPaths: string[];
  additionalSecretOutputs: string[];
  /** The resource option, when the program set it. */
  deleteBeforeReplace?: boolean;
  dependencies: string[];
  /** The serialized provider closure (`__provider`), or null for non-dynamic resources. */
  provider: string | null;
}

export interface CaptureResult {
  resources: RegisteredResource[];
  stdout: string;
  stderr: string;
  ms: number;
}

const CHILD = path.join(__dirname, "capture-child.cjs");
const MARKER = "@@E2E_CAPTURE@@";

/** Writes `source` as `<dir>/<name>` and returns its path. */
export function writeProgram(dir: string, name: string, source: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, source);
  return file;
}

/** The env a Pulumi program sees for this stack's config. */
export function configEnv(settings: StackSettings): Record<string, string> {
  return {
    PULUMI_CONFIG: JSON.stringify(settings.config ?? {}),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(settings.secretKeys ?? []),
  };
}

/** Runs `program` (a file in `dir`) under mocks in a child `node` and returns what it registered. */
export async function capture(
  dir: string,
  program: string,
  opts: CaptureOptions = {},
): Promise<CaptureResult> {
  const t0 = performance.now();
  const env = {
    ...process.env,
    ...configEnv(opts),
    E2E_CAPTURE_OPTIONS: JSON.stringify({ project: opts.project, stack: opts.stack, preview: opts.preview }),
    ...opts.env,
  };
  const result = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      [CHILD, path.resolve(dir, program)],
      { cwd: dir, env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`capture of ${program} failed: ${err.message}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
  const line = result.stdout.split("\n").find((l) => l.startsWith(MARKER));
  if (!line) throw new Error(`capture printed no result\n${result.stdout}\n${result.stderr}`);
  const { resources } = JSON.parse(line.slice(MARKER.length)) as { resources: RegisteredResource[] };
  return { resources, ...result, ms: Math.round(performance.now() - t0) };
}
