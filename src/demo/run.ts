/**
 * The demo itself: deploys `examples/basic` with the real Pulumi CLI (Automation API) against an
 * in-process emulator, sends one image through the deployed Basic provider, then refreshes and
 * destroys. State lives in a temporary file backend, secrets under a random passphrase.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { ConfigMap, OpMap, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { type Emulator, type StorageServer, startEmulator, startStorageServer } from "../emulator";
import { EXAMPLE_PROGRAM, PROJECT_NAME, prepareProgram, REPO_ROOT } from "./program";
import { binaryIn, type CliLocation, findOnPath, PINNED_PULUMI_VERSION } from "./pulumi-cli";
import { formatMessages, formatProviders, formatStorageRequests, LinePrefixer } from "./summary";

/** The demo's options (see `main.ts` for the flags). */
export interface DemoOptions {
  /** Stop before destroy and leave everything for the user to explore. */
  keep: boolean;
  /** The emulator's state file; default `<work folder>/emulator-state.json`. */
  statePath?: string | undefined;
  /** The emulator's port; default a free one. */
  port?: number | undefined;
}

/** Where the demo writes: its normal output and its errors. */
export interface DemoIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const STACK_NAME = "dev";
export const BOT_ID = "demo-bot";
const BUCKET_USER = "media-reader";
const IMAGE_PATH = "/media/welcome.png";
const RECIPIENT = "15550100001";
// A 1x1 PNG: the emulator checks a downloaded image's Content-Type and size, not its pixels.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

const secret = (): string => randomBytes(18).toString("base64url");

/** The demo's secrets, new for each run. */
export interface DemoSecrets {
  /** Protects the stack's secrets (`PULUMI_CONFIG_PASSPHRASE_FILE`). */
  passphrase: string;
  /** The bot's API token (`whatsapp:apiToken`), which the emulator wants. */
  apiToken: string;
  /** The Basic password of the storage (`app:bucketPassword`). */
  bucketPassword: string;
  /** The Bearer token of the CDN provider (`app:cdnToken`). */
  cdnToken: string;
}

/** New random secrets. */
export function demoSecrets(): DemoSecrets {
  return { passphrase: secret(), apiToken: secret(), bucketPassword: secret(), cdnToken: secret() };
}

/**
 * The stack config `examples/basic` needs, with the emulator as the endpoint and the storage's
 * image as the probe that verifies the Basic credentials at deploy time.
 */
export function stackConfig(secrets: DemoSecrets, baseUrl: string, storageUrl: string): ConfigMap {
  return {
    [`${PROJECT_NAME}:bucketUser`]: { value: BUCKET_USER },
    [`${PROJECT_NAME}:bucketProbeUrl`]: { value: `${storageUrl}${IMAGE_PATH}` },
    [`${PROJECT_NAME}:bucketPassword`]: { value: secrets.bucketPassword, secret: true },
    [`${PROJECT_NAME}:cdnToken`]: { value: secrets.cdnToken, secret: true },
    "whatsapp:botId": { value: BOT_ID },
    "whatsapp:apiToken": { value: secrets.apiToken, secret: true },
    "whatsapp:baseUrl": { value: baseUrl },
  };
}

/** The storage the Basic provider points at: one PNG, served only with the demo's Basic credentials. */
export function startDemoStorage(secrets: DemoSecrets): Promise<StorageServer> {
  return startStorageServer({
    basic: { username: BUCKET_USER, password: secrets.bucketPassword },
    files: { [IMAGE_PATH]: { contentType: "image/png", body: PNG } },
  });
}

/** The emulator, with the demo's bot and its state file. */
export function startDemoEmulator(
  secrets: DemoSecrets,
  statePath: string | undefined,
  port?: number,
): Promise<Emulator> {
  return startEmulator({ bots: { [BOT_ID]: secrets.apiToken }, statePath, port: port ?? 0 });
}

/** Turns an {@link CliLocation} into a command, installing the CLI when that is the plan. */
export async function pulumiCommandFor(location: CliLocation, io: DemoIO): Promise<PulumiCommand> {
  const { PulumiCommand } = await import("@pulumi/pulumi/automation");
  // The SemVer class of the SDK's own semver, which its version checks compare with.
  const { SemVer } = createRequire(require.resolve("@pulumi/pulumi/automation"))(
    "semver",
  ) as typeof import("semver");
  switch (location.kind) {
    case "path":
      return PulumiCommand.get();
    case "cached":
      return PulumiCommand.get({ root: location.root });
    case "installable": {
      io.out(`Installing the Pulumi CLI ${PINNED_PULUMI_VERSION} into ${location.root} (once)...\n`);
      const started = Date.now();
      const command = await PulumiCommand.install({
        version: new SemVer(PINNED_PULUMI_VERSION),
        root: location.root,
      });
      io.out(`Installed ${binaryIn(location.root)} in ${seconds(started)}.\n`);
      return command;
    }
    case "missing":
      throw new Error("no Pulumi CLI");
  }
}

/** The demo's temporary folder and what it holds. */
interface WorkFolder {
  root: string;
  backendDir: string;
  programDir: string;
  statePath: string;
  passphraseFile: string;
  apiTokenFile: string;
  secrets: DemoSecrets;
}

/** A new work folder with the run's secrets in files only the user can read. */
function createWorkFolder(options: DemoOptions): WorkFolder {
  // The folder's name must not contain the package name (see program.ts).
  const root = mkdtempSync(path.join(tmpdir(), "wa-demo-"));
  const work: WorkFolder = {
    root,
    backendDir: path.join(root, "backend"),
    programDir: path.join(root, "program"),
    statePath: path.resolve(options.statePath ?? path.join(root, "emulator-state.json")),
    passphraseFile: path.join(root, "passphrase"),
    apiTokenFile: path.join(root, "api-token"),
    secrets: demoSecrets(),
  };
  writeFileSync(work.passphraseFile, `${work.secrets.passphrase}\n`, { mode: 0o600 });
  writeFileSync(work.apiTokenFile, `${work.secrets.apiToken}\n`, { mode: 0o600 });
  mkdirSync(work.backendDir); // a file backend's folder must exist
  return work;
}

/**
 * Ctrl-C once aborts the running Pulumi operation (the demo then cleans up); twice quits at once.
 * `release` removes the handler.
 */
function trapInterrupts(io: DemoIO): { signal: AbortSignal; release: () => void } {
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    io.err("\nInterrupted: stopping the Pulumi CLI, then cleaning up (press Ctrl-C again to quit now).\n");
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  return { signal: abort.signal, release: () => process.off("SIGINT", onSignal) };
}

/** What one run shares between its steps; the services are set once started, for the clean-up. */
interface Run {
  pulumi: PulumiCommand;
  options: DemoOptions;
  io: DemoIO;
  work: WorkFolder;
  signal: AbortSignal;
  color: "always" | "never";
  /** Prints the next step's heading; throws once interrupted. */
  heading: (title: string) => void;
  emulator?: Emulator;
  storage?: StorageServer;
}

/** Runs the demo with a ready CLI; returns the exit code. */
export async function runDemo(pulumi: PulumiCommand, options: DemoOptions, io: DemoIO): Promise<number> {
  const interrupt = trapInterrupts(io);
  const work = createWorkFolder(options);
  let step = 0;
  const steps = options.keep ? 5 : 6;
  const run: Run = {
    pulumi,
    options,
    io,
    work,
    signal: interrupt.signal,
    color: process.stdout.isTTY ? "always" : "never",
    // An operation started with an aborted signal would never be stopped: check between steps.
    heading: (title) => {
      interrupt.signal.throwIfAborted();
      io.out(`\n==> [${++step}/${steps}] ${title}\n`);
    },
  };
  let succeeded = false;
  try {
    await demoSteps(run);
    succeeded = true;
    return 0;
  } catch (error) {
    io.err(`\nThe demo failed: ${describeError(error)}\n`);
    if (options.keep) io.err(`Everything is left in ${work.root} (--keep).\n`);
    return interrupt.signal.aborted ? 130 : 1;
  } finally {
    interrupt.release();
    await run.emulator?.close();
    await run.storage?.close();
    if (!options.keep) {
      rmSync(work.root, { recursive: true, force: true });
      if (succeeded)
        io.out(`  removed ${work.root}\n\nDone. Run it with --keep to explore the stack afterwards.\n`);
    }
  }
}

/** The steps, from the program folder to destroy (or to what --keep leaves). */
async function demoSteps(run: Run): Promise<void> {
  const { pulumi, io, work } = run;
  const where = pulumi.command === "pulumi" ? (findOnPath("pulumi") ?? "pulumi (on PATH)") : pulumi.command;
  io.out(`Pulumi CLI ${pulumi.version?.toString() ?? "(unknown version)"} at ${where}\n`);
  io.out(`Work folder: ${work.root}\n`);

  run.heading("Preparing the program folder and the local services");
  const { stack, emulator, storage } = await prepare(run);

  run.heading("pulumi up: creating the media providers");
  let started = Date.now();
  const up = await withOutput("up", io, (onOutput) =>
    stack.up({ onOutput, color: run.color, signal: run.signal }),
  );
  io.out(`  up: ${describeChanges(up.summary.resourceChanges)} (${seconds(started)})\n`);
  const names = (up.outputs.providerNames?.value ?? {}) as { bucket?: string; cdn?: string };
  io.out(indent(formatProviders(BOT_ID, emulator.providers(BOT_ID))));

  run.heading("Sending an image through the Basic provider");
  const bucket = names.bucket;
  if (bucket === undefined) throw new Error("the stack has no providerNames.bucket output");
  const delivered = await sendImage(emulator, storage, work.secrets.apiToken, bucket, io);
  if (!delivered) throw new Error("the image was not delivered (see above)");

  run.heading("pulumi refresh: comparing the state with the emulator");
  started = Date.now();
  const refresh = await withOutput("refresh", io, (onOutput) =>
    stack.refresh({ onOutput, color: run.color, signal: run.signal }),
  );
  io.out(`  refresh: ${describeChanges(refresh.summary.resourceChanges)} (${seconds(started)})\n`);

  if (run.options.keep) await keep(run, emulator);
  else await destroy(run, stack, emulator);
}

/** The program folder, the storage, the emulator and the stack with its config. */
async function prepare(run: Run): Promise<{ stack: Stack; emulator: Emulator; storage: StorageServer }> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const { io, work } = run;
  let started = Date.now();
  const program = await prepareProgram({ dir: work.programDir, packDestination: work.root });
  io.out(
    `  program   ${program.dir}: ${EXAMPLE_PROGRAM} with the package installed from ${path.basename(program.tarball)} (node_modules ${program.mode}, ${seconds(started)})\n`,
  );
  const storage = await startDemoStorage(work.secrets);
  run.storage = storage;
  io.out(`  storage   ${storage.url} serves ${IMAGE_PATH} to Basic ${BUCKET_USER}:<password> only\n`);
  const emulator = await startDemoEmulator(work.secrets, work.statePath, run.options.port);
  run.emulator = emulator;
  io.out(`  emulator  ${emulator.url} with bot ${BOT_ID}, state in ${work.statePath}\n`);

  started = Date.now();
  const stack: Stack = await LocalWorkspace.createOrSelectStack(
    { stackName: STACK_NAME, workDir: work.programDir },
    {
      pulumiCommand: run.pulumi,
      secretsProvider: "passphrase",
      envVars: {
        PULUMI_BACKEND_URL: fileUrl(work.backendDir),
        // Set even if the user's shell has one: this stack is the demo's own.
        PULUMI_CONFIG_PASSPHRASE: work.secrets.passphrase,
        PULUMI_SKIP_UPDATE_CHECK: "true",
      },
    },
  );
  await stack.setAllConfig(stackConfig(work.secrets, emulator.url, storage.url));
  io.out(
    `  stack     ${PROJECT_NAME}/${STACK_NAME} in ${fileUrl(work.backendDir)}, secrets encrypted with a random passphrase (${seconds(started)})\n`,
  );
  return { stack, emulator, storage };
}

/** The last step with --keep: save the emulator's state and say how to explore what is left. */
async function keep(run: Run, emulator: Emulator): Promise<void> {
  await emulator.flushState();
  run.heading("Keeping the stack (--keep)");
  run.io.out(keepInstructions({ ...run.work, port: emulator.port }));
}

/** The last steps without --keep: destroy, then the clean-up's heading. */
async function destroy(run: Run, stack: Stack, emulator: Emulator): Promise<void> {
  run.heading("pulumi destroy: deleting the media providers");
  const started = Date.now();
  const destroyed = await withOutput("destroy", run.io, (onOutput) =>
    stack.destroy({ onOutput, color: run.color, signal: run.signal }),
  );
  run.io.out(`  destroy: ${describeChanges(destroyed.summary.resourceChanges)} (${seconds(started)})\n`);
  run.io.out(indent(formatProviders(BOT_ID, emulator.providers(BOT_ID))));
  run.heading("Cleaning up");
}

/**
 * Sends one image message through `provider` and prints what the emulator and the storage saw;
 * true when it was delivered.
 */
export async function sendImage(
  emulator: Emulator,
  storage: StorageServer,
  apiToken: string,
  provider: string,
  io: DemoIO,
): Promise<boolean> {
  const url = `${storage.url}${IMAGE_PATH}`;
  io.out(`  POST ${emulator.url}/whatsapp/v1/${BOT_ID}/messages: image ${url} via provider ${provider}\n`);
  const before = emulator.messages(BOT_ID).length;
  const response = await fetch(`${emulator.url}/whatsapp/v1/${encodeURIComponent(BOT_ID)}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      to: [RECIPIENT],
      message: { type: "image", url, caption: "Sent by npm run demo", provider },
    }),
  });
  const answer = await response.text();
  if (response.status !== 201) {
    io.err(`  the messages endpoint answered ${response.status}: ${answer}\n`);
    return false;
  }
  const sent = emulator.messages(BOT_ID).slice(before);
  io.out(`  answered 201; the emulator downloaded the image with the provider's credentials:\n`);
  io.out(indent(formatMessages(sent)));
  io.out("  the storage's log (a HEAD is pulumi up verifying the credentials before writing them):\n");
  io.out(indent(formatStorageRequests(storage.requests())));
  return sent.length > 0 && sent.every((m) => m.state === "delivered");
}

/** Runs a Pulumi operation with its output streamed, each line prefixed with the operation's name. */
async function withOutput<T>(
  name: string,
  io: DemoIO,
  operation: (onOutput: (out: string) => void) => Promise<T>,
) {
  const lines = new LinePrefixer(`  ${name} | `, io.out);
  try {
    return await operation((out) => lines.push(out));
  } finally {
    lines.flush();
  }
}

/** `2 created, 1 unchanged`, from an operation's resource changes. */
export function describeChanges(changes: OpMap | undefined): string {
  const words: Partial<Record<string, string>> = {
    same: "unchanged",
    create: "created",
    update: "updated",
    delete: "deleted",
    replace: "replaced",
  };
  const parts = Object.entries(changes ?? {})
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([op, count]) => `${count} ${words[op] ?? op}`);
  return parts.length === 0 ? "no changes" : parts.join(", ");
}

function keepInstructions(k: WorkFolder & { port: number }): string {
  const cli = path.join(REPO_ROOT, "dist", "cli", "main.js");
  return [
    `  The stack ${PROJECT_NAME}/${STACK_NAME} still holds its two providers. Everything is in ${k.root}:`,
    `    program/     the Pulumi program (Pulumi.yaml, Pulumi.${STACK_NAME}.yaml with encrypted secrets, index.ts)`,
    "    backend/     the stack's state (a file backend)",
    "    passphrase   the stack's secrets passphrase (readable by you only)",
    "    api-token    the bot's API token for the emulator (readable by you only)",
    `  and the emulator's state: ${k.statePath}`,
    "",
    "  Explore the stack (no Pulumi account needed):",
    `    export PULUMI_BACKEND_URL=${fileUrl(k.backendDir)}`,
    `    export PULUMI_CONFIG_PASSPHRASE_FILE=${k.passphraseFile}; unset PULUMI_CONFIG_PASSPHRASE`,
    `    cd ${k.programDir}`,
    "    pulumi stack ls",
    "    pulumi stack output",
    "    pulumi config",
    "",
    `  Restart the emulator with its state, on the port the stack's whatsapp:baseUrl names:`,
    `    node ${cli} emulator --port ${k.port} --bot "${BOT_ID}:$(cat ${k.apiTokenFile})" --state ${k.statePath}`,
    "  then, in the shell above: pulumi refresh, pulumi destroy --yes, pulumi stack rm --yes,",
    `  and finally rm -rf ${k.root}`,
    "",
  ].join("\n");
}

/** A `file://` URL for a local folder, as `PULUMI_BACKEND_URL` wants it. */
export function fileUrl(dir: string): string {
  return `file://${path.resolve(dir).split(path.sep).join("/")}`;
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "  ");
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // CommandError messages repeat the CLI's whole stdout/stderr, which was streamed already.
  const message = error.message;
  return message.length > 4000 ? `${message.slice(0, 4000)}...` : message;
}
