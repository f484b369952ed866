/**
 * Shared set-up of the MediaProvider e2e tests: the packed package installed once per run, one
 * program file that declares the media providers listed in the JSON file PROVIDERS_FILE (an
 * environment variable would be too large for thousands of them), and stacks wired to
 * an emulator running in the test process.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import {
  type CaptureOptions,
  capture,
  type InstalledProgram,
  installPackage,
  Stack,
  writeProgram,
} from "./driver";

/**
 * The program: each spec's `args` are passed to MediaProvider as they are, except that a string
 * `"config-secret:<key>"` becomes `cfg.requireSecret(<key>)` (as users read secrets from config).
 */
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { MediaProvider } = require("pulumi-sinch-whatsapp");
const cfg = new pulumi.Config("app");
const fromConfig = (v) =>
  typeof v === "string" && v.startsWith("config-secret:") ? cfg.requireSecret(v.slice(14))
  : v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromConfig(x)]))
  : v;
for (const { resourceName, args } of JSON.parse(require("node:fs").readFileSync(process.env.PROVIDERS_FILE, "utf8"))) {
  new MediaProvider(resourceName, fromConfig(args));
}
`;

/** A MediaProvider as the test program declares it. */
export interface ProviderSpec {
  resourceName: string;
  args: Record<string, unknown>;
}

let runs = 0;
let installed: Promise<{ program: InstalledProgram; file: string }> | undefined;

/** The package, built, packed and installed into a program folder, once per run. */
export function installedProgram(): Promise<{ program: InstalledProgram; file: string }> {
  installed ??= installPackage().then((program) => ({
    program,
    file: writeProgram(program.dir, "media-providers.js", PROGRAM),
  }));
  return installed;
}

/** Settings of one test stack: stack config (namespaced keys) and which keys are secret. */
export interface StackSetup {
  config: Record<string, string>;
  secretKeys?: string[];
  project?: string;
  stack?: string;
}

/** A stack, and `run(specs)` that captures the program's registrations for it. */
export async function newStack(setup: StackSetup) {
  const { program, file } = await installedProgram();
  const settings = { project: setup.project ?? "media", stack: setup.stack ?? "dev", ...setup };
  const stack = new Stack({ dir: program.dir, ...settings });
  const run = async (specs: ProviderSpec[], opts: CaptureOptions = {}) => {
    const specsFile = path.join(program.dir, `providers-${process.pid}-${++runs}.json`);
    writeFileSync(specsFile, JSON.stringify(specs));
    return (await capture(program.dir, file, { ...settings, ...opts, env: { PROVIDERS_FILE: specsFile } }))
      .resources;
  };
  return { stack, run, settings };
}

/** The URN of a MediaProvider of the test program. */
export const urnOf = (name: string, project = "media", stack = "dev") =>
  `urn:pulumi:${stack}::${project}::pulumi-nodejs:dynamic/whatsapp:MediaProvider::${name}`;
