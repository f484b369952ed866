/**
 * Finding the Pulumi CLI for the demo, without ever hanging: on PATH, else in the install cache,
 * else installed there by the Automation API, but only when a short probe shows the download
 * site is reachable. Nothing here imports the Automation API until it is needed, so that the
 * "no CLI" answer comes within a second or two.
 */
import { accessSync, constants, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { homedir } from "node:os";
import * as path from "node:path";
import { errnoOrMessage } from "../utils/error-text";

/** The CLI version the demo installs when none is found: the one of the SDK it was built with. */
export const PINNED_PULUMI_VERSION = "3.248.0";

/** Env var naming the URL probed before an install (tests point it at a closed local port). */
export const PROBE_ENV = "DEMO_PULUMI_INSTALL_PROBE";
/** Env var naming the folder the CLI is installed in (default `~/.pulumi/versions/<version>`). */
export const CLI_ROOT_ENV = "DEMO_PULUMI_ROOT";
/** Where the installer script is downloaded from; probing it tells whether an install can work. */
export const DEFAULT_PROBE_URL = "https://get.pulumi.com/install.sh";
/** Time allowed for the probe. */
export const PROBE_TIMEOUT_MS = 3_000;

/** What the demo knows about the Pulumi CLI before it runs any command. */
export type CliLocation =
  | { kind: "path"; command: string }
  | { kind: "cached"; root: string }
  | { kind: "installable"; root: string; probeUrl: string }
  | { kind: "missing"; root: string; probeUrl: string; reason: string };

const isWindows = process.platform === "win32";

/** The first executable called `name` on `PATH`, if any. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter(Boolean);
  const extensions = isWindows ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";").filter(Boolean) : [""];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The folder the demo installs the CLI into and looks for it in. */
export function cliRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env[CLI_ROOT_ENV] || path.join(homedir(), ".pulumi", "versions", PINNED_PULUMI_VERSION);
}

/** The `pulumi` binary inside an install root, as the Automation API lays it out. */
export function binaryIn(root: string): string {
  return path.join(root, "bin", isWindows ? "pulumi.exe" : "pulumi");
}

/**
 * Whether `url` answers at all within `timeoutMs` (any HTTP status below 500 counts). Never
 * throws; the reason is returned for the message shown to the user. Uses node:http(s) rather
 * than fetch, which refuses some ports outright and keeps connections alive.
 */
export function probe(
  url: string,
  timeoutMs: number = PROBE_TIMEOUT_MS,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ ok: false, reason: "it is not a valid URL" });
      return;
    }
    const get =
      target.protocol === "https:" ? httpsRequest : target.protocol === "http:" ? httpRequest : undefined;
    if (get === undefined) {
      resolve({ ok: false, reason: "it is not an http(s) URL" });
      return;
    }
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ ok: false, reason: `no answer within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    const req = get(target, { method: "HEAD", agent: false }, (res) => {
      clearTimeout(timer);
      res.resume();
      req.destroy();
      const status = res.statusCode ?? 0;
      resolve(status > 0 && status < 500 ? { ok: true } : { ok: false, reason: `it answered ${status}` });
    });
    req.on("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: errnoOrMessage(error) });
    });
    req.end();
  });
}

/** Where the CLI is, or whether it can be installed; never installs anything itself. */
export async function locatePulumi(env: NodeJS.ProcessEnv = process.env): Promise<CliLocation> {
  const onPath = findOnPath("pulumi", env);
  if (onPath !== undefined) return { kind: "path", command: onPath };
  const root = cliRoot(env);
  if (isExecutableFile(binaryIn(root))) return { kind: "cached", root };
  const probeUrl = env[PROBE_ENV] || DEFAULT_PROBE_URL;
  const reached = await probe(probeUrl);
  if (reached.ok) return { kind: "installable", root, probeUrl };
  return { kind: "missing", root, probeUrl, reason: reached.reason };
}

/**
 * What to tell a user whose Pulumi CLI is missing (and cannot be downloaded now) or unusable;
 * `problem` is one sentence saying which.
 */
export function installInstructions(problem: string): string {
  return [
    "The demo needs the Pulumi CLI: it deploys the example program with `pulumi up`, `refresh` and",
    "`destroy` through the Automation API.",
    problem,
    "",
    "Install it, open a new shell (so that PATH has it), then run `npm run demo` again:",
    "  curl -fsSL https://get.pulumi.com | sh     # Linux and macOS",
    "  brew install pulumi/tap/pulumi            # macOS with Homebrew",
    "  choco install pulumi                      # Windows with Chocolatey",
    "",
    "No Pulumi account is needed: the demo keeps its state in a local folder (a file backend).",
    "",
  ].join("\n");
}
