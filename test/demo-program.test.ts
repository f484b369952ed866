/**
 * The demo's program folder, and a rehearsal of the demo without the Pulumi CLI: the folder's
 * program run by the SDK's own program runner as `pulumi up` runs it, and deployed, used, refreshed
 * and destroyed by the e2e engine driver against the demo's emulator and storage.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EXAMPLE_PROGRAM,
  PACKAGE_NAME,
  PROJECT_NAME,
  type ProgramFolder,
  prepareProgram,
  REPO_ROOT,
} from "../src/demo/program";
import {
  BOT_ID,
  type DemoSecrets,
  demoSecrets,
  STACK_NAME,
  sendImage,
  stackConfig,
  startDemoEmulator,
  startDemoStorage,
} from "../src/demo/run";
import { formatProviders } from "../src/demo/summary";
import type { Emulator, StorageServer } from "../src/emulator";
import { readProject, Stack, unwrapSecrets } from "./e2e/driver";

let work: string;
let program: ProgramFolder;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "demo-program-"));
  program = await prepareProgram({ dir: path.join(work, "program") });
}, 120_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("the program folder", () => {
  it("resolves the package as installed from its tarball, not from the repository", () => {
    const requireThere = createRequire(path.join(program.dir, "package.json"));
    const main = requireThere.resolve(PACKAGE_NAME);
    expect(main).toBe(path.join(program.dir, "node_modules", PACKAGE_NAME, "dist", "index.js"));
    expect(requireThere.resolve(`${PACKAGE_NAME}/provider`)).toBe(
      path.join(program.dir, "node_modules", PACKAGE_NAME, "dist", "provider", "index.js"),
    );
    expect(requireThere.resolve("@pulumi/pulumi")).toContain(path.join(program.dir, "node_modules"));
    expect(path.basename(program.tarball)).toMatch(/^pulumi-sinch-whatsapp-.*\.tgz$/);
    expect(["hardlinked", "copied"]).toContain(program.mode);
  });

  it("holds the basic example, a Pulumi.yaml for TypeScript and a tsconfig.json", () => {
    expect(readFileSync(path.join(program.dir, "index.ts"), "utf8")).toBe(
      readFileSync(path.join(REPO_ROOT, EXAMPLE_PROGRAM), "utf8"),
    );
    const yaml = readFileSync(path.join(program.dir, "Pulumi.yaml"), "utf8");
    expect(yaml).toContain(`name: ${PROJECT_NAME}\n`);
    expect(yaml).toMatch(/runtime:\n {2}name: nodejs\n {2}options:\n {4}typescript: true/);
    const tsconfig = JSON.parse(readFileSync(path.join(program.dir, "tsconfig.json"), "utf8"));
    expect(tsconfig.files).toEqual(["index.ts"]);
  });

  it("refuses a path holding the package name, which Pulumi's serializer would misread", async () => {
    await expect(prepareProgram({ dir: path.join(work, `x-${PACKAGE_NAME}`) })).rejects.toThrow(
      /must not contain "pulumi-sinch-whatsapp"/,
    );
  });
});

describe("a rehearsal of the demo, with the e2e engine driver in place of the Pulumi CLI", () => {
  let secrets: DemoSecrets;
  let emulator: Emulator;
  let storage: StorageServer;
  beforeAll(async () => {
    secrets = demoSecrets();
    storage = await startDemoStorage(secrets);
    emulator = await startDemoEmulator(secrets, path.join(work, "emulator-state.json"));
  });
  afterAll(async () => {
    await emulator?.close();
    await storage?.close();
  });

  it("deploys both providers, delivers an image through the Basic one, refreshes and destroys", async () => {
    const config = stackConfig(secrets, emulator.url, storage.url);
    const stack = new Stack({
      project: readProject(program.dir),
      stack: STACK_NAME,
      config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.value])),
      secretKeys: Object.entries(config)
        .filter(([, v]) => v.secret)
        .map(([k]) => k),
    });
    // The program runs as `pulumi up` runs it: Pulumi's runner compiles index.ts with its ts-node.
    const up = await stack.up();
    expect(up.failed).toEqual([]);
    expect(up.program?.stderr).not.toMatch(/error TS\d+/);
    expect(up.registrations.map((r) => r.name).sort()).toEqual(["bucket", "cdn"]);
    expect(up.registrations[0]?.provider).toMatch(/require\("pulumi-sinch-whatsapp\/provider"\)/);
    expect(up.created).toHaveLength(2);
    const providers = emulator.providers(BOT_ID);
    expect(providers.map((p) => "basic" in p.config).sort()).toEqual([false, true]);
    const listing = formatProviders(BOT_ID, providers);
    expect(listing).toContain("media_bucket");

    let printed = "";
    const io = {
      out: (text: string) => {
        printed += text;
      },
      err: (text: string) => {
        printed += text;
      },
    };
    const bucket = unwrapSecrets(stack.resource("bucket")?.outputs.name) as string;
    expect(bucket).toBe("media_bucket");
    expect(await sendImage(emulator, storage, secrets.apiToken, bucket, io)).toBe(true);
    expect(printed).toContain("delivered: the storage answered 200");
    expect(printed).toContain("Basic (username media-reader, password hidden)");
    // pulumi up verified the Basic credentials (HEAD) before writing; the message downloaded (GET).
    expect(storage.requests().map((r) => `${r.method} ${r.status}`)).toEqual(["HEAD 200", "GET 200"]);

    const refresh = await stack.refresh();
    expect(refresh.failed).toEqual([]);
    expect(refresh.dropped).toEqual([]);

    const destroy = await stack.destroy();
    expect(destroy.failed).toEqual([]);
    expect(emulator.providers(BOT_ID)).toEqual([]);

    for (const secret of [secrets.apiToken, secrets.bucketPassword, secrets.cdnToken, secrets.passphrase]) {
      expect(printed + listing).not.toContain(secret);
    }
  }, 600_000);
});
