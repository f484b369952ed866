/**
 * Shared set-up of the MediaProvider e2e tests: the packed package installed once per run, one
 * program file that declares the media providers listed in the JSON file PROVIDERS_FILE (an
 * environment variable would be too large for thousands of them), and stacks wired to
 * an emulator running in the test process.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { type InstalledProgram, installPackage, type Project, type RunOptions, Stack } from "./driver";

/**
 * The program: each spec's `args` are passed to MediaProvider as they are, except that a string
 * `"config-secret:<key>"` becomes `cfg.requireSecret(<key>)` (as users read secrets from config),
 * and `"output-of:<resource>.<output>"` the output of a resource declared before it.
 */
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { MediaProvider } = require("pulumi-sinch-whatsapp");
const cfg = new pulumi.Config("app");
const declared = {};
const resolve = (v) =>
  typeof v === "string" && v.startsWith("config-secret:") ? cfg.requireSecret(v.slice(14))
  : typeof v === "string" && v.startsWith("output-of:") ? declared[v.slice(10).split(".")[0]][v.split(".")[1]]
  : v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]))
  : v;
for (const { resourceName, args } of JSON.parse(require("node:fs").readFileSync(process.env.PROVIDERS_FILE, "utf8"))) {
  declared[resourceName] = new MediaProvider(resourceName, resolve(args));
}
exports.names = Object.fromEntries(Object.entries(declared).map(([k, r]) => [k, r.name]));
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
  installed ??= installPackage().then((program) => {
    const file = path.join(program.dir, "media-providers.js");
    writeFileSync(file, PROGRAM);
    return { program, file };
  });
  return installed;
}

/** A project whose program is `file` in the program folder `dir` (Pulumi.yaml `main: <file>`). */
export function projectOf(dir: string, file: string, name: string): Project {
  return { name, root: dir, pwd: dir, entry: path.basename(file) };
}

/** Settings of one test stack: stack config (namespaced keys) and which keys are secret. */
export interface StackSetup {
  config: Record<string, string>;
  secretKeys?: string[];
  project?: string;
  stack?: string;
}

/** A stack, and `run(specs)`: the run options that make the program declare `specs`. */
export async function newStack(setup: StackSetup) {
  const { program, file } = await installedProgram();
  const project = projectOf(program.dir, file, setup.project ?? "media");
  const stack = new Stack({ ...setup, project, stack: setup.stack ?? "dev" });
  const run = async (specs: ProviderSpec[]): Promise<RunOptions> => {
    const specsFile = path.join(program.dir, `providers-${process.pid}-${++runs}.json`);
    writeFileSync(specsFile, JSON.stringify(specs));
    return { env: { PROVIDERS_FILE: specsFile } };
  };
  return { stack, run };
}

/** The URN of a MediaProvider of the test program. */
export const urnOf = (name: string, project = "media", stack = "dev") =>
  `urn:pulumi:${stack}::${project}::pulumi-nodejs:dynamic/whatsapp:MediaProvider::${name}`;
