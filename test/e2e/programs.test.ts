/**
 * Every program we hand users, run where it stands the way `pulumi up` runs it: the SDK's program
 * runner started as the language host starts it (entry point from Pulumi.yaml and package.json,
 * the program folder's tsconfig, ts-node type-checking), in a checkout laid out as a user's after
 * the README's install steps, against the emulator. Each program goes through up (creates), up
 * again (no write), a changed config value (one update), a resource removed from the program (one
 * delete) and destroy (nothing left), with the requests counted and the state scanned for secrets.
 */
import { execFile, execFileSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareProgram } from "../../src/demo/program";
import { type Emulator, startEmulator } from "../../src/emulator";
import { type StorageServer, startStorageServer } from "../../src/emulator/storage-server";
import {
  installExample,
  type Project,
  readProject,
  readStackConfig,
  runDir,
  Stack,
  type StackConfig,
  type Summary,
  userCheckout,
} from "./driver";

const MULTI_ENV_PASSPHRASE = "correct-horse-battery-staple";
const TOKEN = "program-Api-Token-5f0e";
const STORAGE = { username: "svc-media", password: "bucket-Pw-0c7d1e" };

let emulator: Emulator;
let storage: StorageServer;
const probeFile = { contentType: "image/png", body: "png" };

beforeAll(async () => {
  storage = await startStorageServer({ basic: STORAGE, files: { "/probe.png": probeFile } });
  emulator = await startEmulator({ bots: { bot: TOKEN } });
});
afterAll(async () => {
  await emulator?.close();
  await storage?.close();
});

const writes = () => {
  const { POST = 0, DELETE = 0 } = emulator.counters().byMethod;
  return { POST, DELETE };
};
const ok = (s: Summary) => expect(s.failed, JSON.stringify(s.failed, null, 2)).toEqual([]);

/** A program and the stack config it runs with. */
interface ProgramCase {
  project: Project;
  stack: string;
  bot: string;
  settings: StackConfig;
  /** How many providers the program declares, and how many `up` must write (adoption writes none). */
  providers: number;
  creates: number;
  /** A config change that updates exactly one provider. */
  update: [key: string, value: string];
  /** The program file and an edit that removes one provider from it. */
  file: string;
  remove: (source: string) => string;
}

/** The basic program's settings: the bot on the emulator, the bucket verified against the storage. */
function basicSettings(projectName: string): StackConfig {
  const ns = (key: string) => `${projectName}:${key}`;
  return {
    config: {
      "whatsapp:botId": "bot",
      "whatsapp:baseUrl": emulator.url,
      "whatsapp:apiToken": TOKEN,
      [ns("bucketUser")]: STORAGE.username,
      [ns("bucketPassword")]: STORAGE.password,
      [ns("bucketProbeUrl")]: `${storage.url}/probe.png`,
      [ns("cdnToken")]: "cdn-Bearer-1a2b3c",
    },
    secretKeys: ["whatsapp:apiToken", ns("bucketPassword"), ns("cdnToken")],
  };
}

const removeCdn = (source: string) =>
  source.replace(/\nconst cdn = new MediaProvider\([\s\S]*?\n\}\);\n/, "\n").replace(/, cdn: cdn\.name/, "");

function basicCase(project: Project): ProgramCase {
  return {
    project,
    stack: "dev",
    bot: "bot",
    settings: basicSettings(project.name),
    providers: 2,
    creates: 2,
    update: [`${project.name}:cdnToken`, "cdn-Bearer-rotated-9z"],
    file: path.join(project.pwd, "index.ts"),
    remove: removeCdn,
  };
}

/** Runs the whole lifecycle of one program and checks each step's effect on the emulator. */
async function lifecycle(c: ProgramCase): Promise<void> {
  const secrets = [...c.settings.secretKeys.map((k) => c.settings.config[k] ?? ""), c.update[1]];
  const stack = new Stack({ project: c.project, stack: c.stack, ...c.settings });
  const expectNoSecretInState = () => {
    const state = stack.stateJson();
    for (const secret of secrets) expect(state).not.toContain(secret);
  };

  emulator.resetCounters();
  let s = await stack.up();
  ok(s);
  expect(s.registrations).toHaveLength(c.providers);
  expect(writes()).toEqual({ POST: c.creates, DELETE: 0 });
  expect(emulator.providers(c.bot)).toHaveLength(c.providers);
  expect(Object.keys(stack.outputs)).toContain("providerNames");
  expectNoSecretInState();

  emulator.resetCounters();
  s = await stack.up();
  ok(s);
  expect(s.same).toHaveLength(c.providers);
  expect(writes()).toEqual({ POST: 0, DELETE: 0 });

  emulator.resetCounters();
  stack.setConfig(c.update[0], c.update[1], true);
  s = await stack.up();
  ok(s);
  expect(s.updated).toHaveLength(1);
  expect(writes()).toEqual({ POST: 1, DELETE: 0 });
  expectNoSecretInState();

  const source = readFileSync(c.file, "utf8");
  const edited = c.remove(source);
  expect(edited).not.toBe(source);
  writeFileSync(c.file, edited);
  try {
    emulator.resetCounters();
    s = await stack.up();
    ok(s);
    expect(s.deleted).toHaveLength(1);
    expect(writes()).toEqual({ POST: 0, DELETE: 1 });
    expect(emulator.providers(c.bot)).toHaveLength(c.providers - 1);
  } finally {
    writeFileSync(c.file, source);
  }

  s = await stack.destroy();
  ok(s);
  expect(emulator.providers(c.bot)).toEqual([]);
  expect(stack.resources()).toEqual([]);
}

describe("programs users get, run as `pulumi up` runs them", { timeout: 600_000 }, () => {
  it("the root project (Pulumi.yaml at the repository root), after `npm install` at the root", async () => {
    const root = await userCheckout();
    const project = readProject(root);
    expect(project.pwd).toBe(path.join(root, "examples", "basic"));
    await lifecycle(basicCase(project));
  });

  it("examples/basic, after `npm install` in its folder", async () => {
    await lifecycle(basicCase(readProject(await installExample("basic"))));
  });

  it.each(["dev", "prod"])("examples/multi-env, stack %s from its shipped stack file", async (name) => {
    const project = readProject(await installExample("multi-env"));
    const settings = readStackConfig(project, name, MULTI_ENV_PASSPHRASE);
    const bot = settings.config["whatsapp:botId"] ?? "";
    const token = settings.config["whatsapp:apiToken"] ?? "";
    const ns = (key: string) => `${project.name}:${key}`;
    // The shipped bots and storage do not exist: the stack points at the emulator (as the README
    // says) and at a storage server holding the stack file's own credentials.
    const env = await startEmulator({ bots: { [bot]: token } });
    const envStorage = await startStorageServer({
      basic: {
        username: settings.config[ns("storageUser")] ?? "",
        password: settings.config[ns("storagePassword")] ?? "",
      },
      files: { "/probe.png": probeFile },
    });
    const previous = emulator;
    emulator = env;
    try {
      settings.config["whatsapp:baseUrl"] = env.url;
      settings.config[ns("storageProbeUrl")] = `${envStorage.url}/probe.png`;
      await lifecycle({
        project,
        stack: name,
        bot,
        settings,
        providers: 2,
        creates: 2,
        update: [ns("cdnToken"), `fake-${name}-cdn-rotated`],
        file: path.join(project.pwd, "index.ts"),
        remove: removeCdn,
      });
    } finally {
      emulator = previous;
      await env.close();
      await envStorage.close();
    }
  });

  it("examples/adopt, adopting the providers it was generated from", async () => {
    const project = readProject(await installExample("adopt"));
    const ns = (key: string) => `${project.name}:${key}`;
    const seeded = {
      mediaBucketPassword: "adopt-Pw-91b2",
      brandCdnToken: "adopt-Bearer-44c1",
      docs2019Password: "adopt-Docs-Pw-5e6f",
    };
    emulator.setProvider("bot", {
      name: "media_bucket",
      type: "www",
      config: { basic: { username: "svc-media", password: seeded.mediaBucketPassword } },
    });
    emulator.setProvider("bot", { name: "brand-cdn", type: "www", config: { bearer: seeded.brandCdnToken } });
    emulator.setProvider("bot", {
      name: "docs2019",
      type: "www",
      config: { basic: { username: "docs-reader", password: seeded.docs2019Password } },
    });
    const secrets = Object.fromEntries(Object.entries(seeded).map(([k, v]) => [ns(k), v]));
    await lifecycle({
      project,
      stack: "dev",
      bot: "bot",
      settings: {
        config: {
          "whatsapp:botId": "bot",
          "whatsapp:baseUrl": emulator.url,
          "whatsapp:apiToken": TOKEN,
          ...secrets,
        },
        secretKeys: ["whatsapp:apiToken", ...Object.keys(secrets)],
      },
      providers: 3,
      creates: 0,
      update: [ns("mediaBucketPassword"), "adopt-Pw-rotated-7"],
      file: path.join(project.pwd, "index.ts"),
      remove: (source) =>
        source
          .replace(/\nconst brandCdn = new MediaProvider\([\s\S]*?\n\}\);\n/, "\n")
          .replace(/\n {2}brandCdn: brandCdn\.name,/, ""),
    });
  });

  it("a program written by `generate`, in a project folder like examples/adopt", async () => {
    const example = await installExample("adopt");
    const dir = path.join(path.dirname(example), "generated");
    for (const file of ["Pulumi.yaml", "package.json", "tsconfig.json", ".npmrc"]) {
      cpSync(path.join(example, file), path.join(dir, file));
    }
    await promisify(execFile)("cp", [
      "-al",
      path.join(example, "node_modules"),
      path.join(dir, "node_modules"),
    ]);
    const existing = [
      {
        name: "media_bucket",
        type: "www" as const,
        config: { basic: { username: "svc", password: `p@ss'word $HOME "x"` } },
      },
      { name: "cdn", type: "www" as const, config: { bearer: "cdn-Bearer-77aa" } },
      { name: "legacy provider 2", type: "www" as const, config: { bearer: "legacy-Bearer-31" } },
    ];
    for (const entry of existing) emulator.setProvider("bot", entry);
    const cli = path.join(dir, "node_modules/pulumi-sinch-whatsapp/dist/cli/main.js");
    // Not execFileSync: the emulator answering it runs in this process.
    const { stdout: commands } = await promisify(execFile)(
      process.execPath,
      [
        cli,
        "generate",
        "--bot-id",
        "bot",
        "--base-url",
        emulator.url,
        "--token",
        TOKEN,
        "--out",
        path.join(dir, "index.ts"),
      ],
      { encoding: "utf8", env: { ...process.env, WHATSAPP_API_TOKEN: "" } },
    );
    const project = readProject(dir);
    const settings = configFromCommands(commands, project.name);
    Object.assign(settings.config, { "whatsapp:baseUrl": emulator.url, "whatsapp:apiToken": TOKEN });
    settings.secretKeys.push("whatsapp:apiToken");
    await lifecycle({
      project,
      stack: "dev",
      bot: "bot",
      settings,
      providers: 3,
      creates: 0,
      update: [`${project.name}:cdnToken`, "cdn-Bearer-rotated-2"],
      file: path.join(dir, "index.ts"),
      remove: (source) =>
        source
          .replace(/\nconst cdn = new MediaProvider\([\s\S]*?\n\}\);\n/, "\n")
          .replace(/\n {2}cdn: cdn\.name,/, ""),
    });
  });

  it("the demo's program folder, as `npm run demo` prepares it", async () => {
    const { dir } = await prepareProgram({ dir: path.join(runDir(), "demo-program") });
    await lifecycle(basicCase(readProject(dir)));
  });
});

/** Runs `generate`'s printed commands with a stand-in `pulumi` that records each `config set`. */
function configFromCommands(commands: string, project: string): StackConfig {
  const recorded = execFileSync(
    "bash",
    ["-c", `pulumi() { printf '%s\\0' "$@"; printf '\\n\\0'; }\n${commands}`],
    {
      encoding: "utf8",
    },
  );
  const result: StackConfig = { config: {}, secretKeys: [] };
  for (const call of recorded.split("\n\0").filter(Boolean)) {
    const args = call.split("\0").filter((a) => a !== "");
    const [key, value] = args.filter((a) => !["config", "set", "--secret", "--"].includes(a));
    if (!key || value === undefined) continue;
    const namespaced = key.includes(":") ? key : `${project}:${key}`;
    result.config[namespaced] = value;
    if (args.includes("--secret")) result.secretKeys.push(namespaced);
  }
  return result;
}
