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

/** Runs the demo with a ready CLI; returns the exit code. */
export async function runDemo(pulumi: PulumiCommand, options: DemoOptions, io: DemoIO): Promise<number> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const color = process.stdout.isTTY ? "always" : "never";
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    io.err("\nInterrupted: stopping the Pulumi CLI, then cleaning up (press Ctrl-C again to quit now).\n");
    abort.abort();
  };
  process.on("SIGINT", onSignal);

  // The folder's name must not contain the package name (see program.ts).
  const root = mkdtempSync(path.join(tmpdir(), "wa-demo-"));
  const backendDir = path.join(root, "backend");
  const programDir = path.join(root, "program");
  const statePath = path.resolve(options.statePath ?? path.join(root, "emulator-state.json"));
  const passphraseFile = path.join(root, "passphrase");
  const apiTokenFile = path.join(root, "api-token");
  const secrets = demoSecrets();
  writeFileSync(passphraseFile, `${secrets.passphrase}\n`, { mode: 0o600 });
  writeFileSync(apiTokenFile, `${secrets.apiToken}\n`, { mode: 0o600 });
  mkdirSync(backendDir); // a file backend's folder must exist

  let emulator: Emulator | undefined;
  let storage: StorageServer | undefined;
  let step = 0;
  const steps = options.keep ? 5 : 6;
  // An operation started with an aborted signal would never be stopped: check between steps.
  const heading = (title: string): void => {
    abort.signal.throwIfAborted();
    io.out(`\n==> [${++step}/${steps}] ${title}\n`);
  };
  let succeeded = false;
  try {
    const where = pulumi.command === "pulumi" ? (findOnPath("pulumi") ?? "pulumi (on PATH)") : pulumi.command;
    io.out(`Pulumi CLI ${pulumi.version?.toString() ?? "(unknown version)"} at ${where}\n`);
    io.out(`Work folder: ${root}\n`);

    heading("Preparing the program folder and the local services");
    let started = Date.now();
    const program = await prepareProgram({ dir: programDir, packDestination: root });
    io.out(
      `  program   ${program.dir}: ${EXAMPLE_PROGRAM} with the package installed from ${path.basename(program.tarball)} (node_modules ${program.mode}, ${seconds(started)})\n`,
    );
    storage = await startDemoStorage(secrets);
    io.out(`  storage   ${storage.url} serves ${IMAGE_PATH} to Basic ${BUCKET_USER}:<password> only\n`);
    emulator = await startDemoEmulator(secrets, statePath, options.port);
    io.out(`  emulator  ${emulator.url} with bot ${BOT_ID}, state in ${statePath}\n`);

    started = Date.now();
    const stack: Stack = await LocalWorkspace.createOrSelectStack(
      { stackName: STACK_NAME, workDir: programDir },
      {
        pulumiCommand: pulumi,
        secretsProvider: "passphrase",
        envVars: {
          PULUMI_BACKEND_URL: fileUrl(backendDir),
          // Set even if the user's shell has one: this stack is the demo's own.
          PULUMI_CONFIG_PASSPHRASE: secrets.passphrase,
          PULUMI_SKIP_UPDATE_CHECK: "true",
        },
      },
    );
    await stack.setAllConfig(stackConfig(secrets, emulator.url, storage.url));
    io.out(
      `  stack     ${PROJECT_NAME}/${STACK_NAME} in ${fileUrl(backendDir)}, secrets encrypted with a random passphrase (${seconds(started)})\n`,
    );

    heading("pulumi up: creating the media providers");
    started = Date.now();
    const up = await withOutput("up", io, (onOutput) => stack.up({ onOutput, color, signal: abort.signal }));
    io.out(`  up: ${describeChanges(up.summary.resourceChanges)} (${seconds(started)})\n`);
    const names = (up.outputs.providerNames?.value ?? {}) as { bucket?: string; cdn?: string };
    io.out(indent(formatProviders(BOT_ID, emulator.providers(BOT_ID))));

    heading("Sending an image through the Basic provider");
    const bucket = names.bucket;
    if (bucket === undefined) throw new Error("the stack has no providerNames.bucket output");
    const delivered = await sendImage(emulator, storage, secrets.apiToken, bucket, io);
    if (!delivered) throw new Error("the image was not delivered (see above)");

    heading("pulumi refresh: comparing the state with the emulator");
    started = Date.now();
    const refresh = await withOutput("refresh", io, (onOutput) =>
      stack.refresh({ onOutput, color, signal: abort.signal }),
    );
    io.out(`  refresh: ${describeChanges(refresh.summary.resourceChanges)} (${seconds(started)})\n`);

    if (options.keep) {
      await emulator.flushState();
      heading("Keeping the stack (--keep)");
      io.out(
        keepInstructions({
          root,
          backendDir,
          programDir,
          statePath,
          apiTokenFile,
          passphraseFile,
          port: emulator.port,
        }),
      );
    } else {
      heading("pulumi destroy: deleting the media providers");
      started = Date.now();
      const destroy = await withOutput("destroy", io, (onOutput) =>
        stack.destroy({ onOutput, color, signal: abort.signal }),
      );
      io.out(`  destroy: ${describeChanges(destroy.summary.resourceChanges)} (${seconds(started)})\n`);
      io.out(indent(formatProviders(BOT_ID, emulator.providers(BOT_ID))));
      heading("Cleaning up");
    }
    succeeded = true;
    return 0;
  } catch (error) {
    io.err(`\nThe demo failed: ${describeError(error)}\n`);
    if (options.keep) io.err(`Everything is left in ${root} (--keep).\n`);
    return abort.signal.aborted ? 130 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    await emulator?.close();
    await storage?.close();
    if (!options.keep) {
      rmSync(root, { recursive: true, force: true });
      if (succeeded)
        io.out(`  removed ${root}\n\nDone. Run it with --keep to explore the stack afterwards.\n`);
    }
  }
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

function keepInstructions(k: {
  root: string;
  backendDir: string;
  programDir: string;
  statePath: string;
  apiTokenFile: string;
  passphraseFile: string;
  port: number;
}): string {
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
