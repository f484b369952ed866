/**
 * Program step of the e2e engine driver: run a Pulumi project's program the way `pulumi up` does.
 *
 * The Node language host (sdk/nodejs/cmd/pulumi-language-nodejs, see
 * ../shared/reference/pulumi-language-host.md) reads `Pulumi.yaml`, picks the program folder and entry
 * from `main` (absent: the project folder and `.`; a folder: that folder and `.`; a file: its folder and
 * its base name), finds the SDK's runner from that folder (`require.resolve('@pulumi/pulumi/cmd/run')`)
 * and starts it with the engine's addresses, the project and stack, `--dry-run` for a preview, and
 * the stack config in `PULUMI_CONFIG` (keys `ns:config:key`) and `PULUMI_CONFIG_SECRET_KEYS`; runtime
 * options become `PULUMI_NODEJS_TYPESCRIPT` and `PULUMI_NODEJS_TSCONFIG_PATH`. This file does the same
 * and nothing more: the runner compiles TypeScript with its own ts-node and picks the entry point.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";

/** A Pulumi project as the language host sees it. */
export interface Project {
  name: string;
  /** The folder holding `Pulumi.yaml` (`--root-directory`). */
  root: string;
  /** The program folder (`--pwd`, the runner's working directory). */
  pwd: string;
  /** The entry passed to the runner: `.` or a file name in `pwd`. */
  entry: string;
  typescript?: boolean;
  tsconfig?: string;
}

interface ProjectFile {
  name: string;
  main?: string;
  runtime?: string | { name: string; options?: { typescript?: boolean; tsconfig?: string } };
}

/** Reads `<root>/Pulumi.yaml` and resolves the program folder and entry like `getPwdMain`. */
export function readProject(root: string): Project {
  const file = parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;
  const options = typeof file.runtime === "object" ? (file.runtime.options ?? {}) : {};
  const main = file.main ? path.resolve(root, file.main) : root;
  const isFolder = !file.main || file.main.endsWith("/") || !path.extname(main);
  return {
    name: file.name,
    root,
    pwd: isFolder ? main : path.dirname(main),
    entry: isFolder ? "." : path.basename(main),
    typescript: options.typescript,
    tsconfig: options.tsconfig,
  };
}

export interface RunSettings {
  project: Project;
  stack: string;
  monitor: string;
  preview: boolean;
  /** Stack config, namespaced keys (`whatsapp:botId`) to plain values. */
  config: Record<string, string>;
  secretKeys: string[];
  env?: Record<string, string>;
  /** The `node` to run (default: this process's). */
  node?: string;
  /** Aborting it SIGKILLs the program (an interrupted `pulumi up`). */
  signal?: AbortSignal;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The runner the language host would start: `@pulumi/pulumi/cmd/run` (or `module`, e.g. `cmd/run-plugin`)
 * resolved from `pwd` by `node -e require.resolve(...)`, as its `locateModule` does.
 */
export function runnerPath(pwd: string, node = process.execPath, module = "@pulumi/pulumi/cmd/run"): string {
  const script = `console.log(require.resolve(${JSON.stringify(module)}))`;
  return execFileSync(node, ["-e", script], { cwd: pwd, encoding: "utf8" }).trim();
}

/** The language host's argv for the runner. */
export function runnerArgs(s: RunSettings, runPath: string): string[] {
  const { project } = s;
  return [
    runPath,
    ...["--monitor", s.monitor, "--engine", s.monitor, "--sync", mkdtempSync(path.join(tmpdir(), "sync-"))],
    ...["--organization", "organization", "--project", project.name, "--root-directory", project.root],
    ...["--stack", s.stack, "--pwd", project.pwd],
    ...(s.preview ? ["--dry-run"] : []),
    ...["--parallel", "2147483647", project.entry],
  ];
}

/** The language host's environment for the runner: its own, plus config and runtime options. */
export function runnerEnv(s: RunSettings): NodeJS.ProcessEnv {
  const config = Object.fromEntries(
    Object.entries(s.config).map(([key, value]) => [key.replace(":", ":config:"), value]),
  );
  return {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(s.secretKeys),
    ...(s.project.typescript !== undefined ? { PULUMI_NODEJS_TYPESCRIPT: String(s.project.typescript) } : {}),
    ...(s.project.tsconfig ? { PULUMI_NODEJS_TSCONFIG_PATH: s.project.tsconfig } : {}),
    ...s.env,
  };
}

/** Runs the program to its end; the monitor at `s.monitor` answers what it registers. */
export function runProgram(s: RunSettings): Promise<RunResult> {
  const node = s.node ?? process.execPath;
  const child = spawn(node, runnerArgs(s, runnerPath(s.project.pwd, node)), {
    cwd: s.project.pwd,
    env: runnerEnv(s),
    stdio: ["ignore", "pipe", "pipe"],
    signal: s.signal,
    killSignal: "SIGKILL",
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.on("error", (err) => {
      if (err.name !== "AbortError") reject(err);
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
