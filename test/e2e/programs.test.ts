/**
 * Every program we hand users but the root project (test/e2e/root-project.test.ts), run where it
 * stands the way `pulumi up` runs it, in a checkout laid out as a user's after the README's install
 * steps, through the lifecycle of ./program-lifecycle.ts: each example, a program written by
 * `generate`, and the demo's program.
 */
import { execFile, execFileSync } from "node:child_process";
import { cpSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, it } from "vitest";
import { prepareProgram } from "../../src/demo/program";
import { startEmulator } from "../../src/emulator";
import { startStorageServer } from "../../src/emulator/storage-server";
import { installExample, readProject, readStackConfig, runDir, type StackConfig } from "./driver";
import { basicCase, lifecycle, PROBE_FILE, removeCdn, TOKEN, useServers } from "./program-lifecycle";

const MULTI_ENV_PASSPHRASE = "correct-horse-battery-staple";
const servers = useServers();

describe("programs users get, run as `pulumi up` runs them", { timeout: 600_000 }, () => {
  it("examples/basic, after `npm install` in its folder", async () => {
    await lifecycle(servers.emulator, basicCase(servers, readProject(await installExample("basic"))));
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
      files: { "/probe.png": PROBE_FILE },
    });
    try {
      settings.config["whatsapp:baseUrl"] = env.url;
      settings.config[ns("storageProbeUrl")] = `${envStorage.url}/probe.png`;
      await lifecycle(env, {
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
    servers.emulator.setProvider("bot", {
      name: "media_bucket",
      type: "www",
      config: { basic: { username: "svc-media", password: seeded.mediaBucketPassword } },
    });
    servers.emulator.setProvider("bot", {
      name: "brand-cdn",
      type: "www",
      config: { bearer: seeded.brandCdnToken },
    });
    servers.emulator.setProvider("bot", {
      name: "docs2019",
      type: "www",
      config: { basic: { username: "docs-reader", password: seeded.docs2019Password } },
    });
    const secrets = Object.fromEntries(Object.entries(seeded).map(([k, v]) => [ns(k), v]));
    await lifecycle(servers.emulator, {
      project,
      stack: "dev",
      bot: "bot",
      settings: {
        config: {
          "whatsapp:botId": "bot",
          "whatsapp:baseUrl": servers.emulator.url,
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
    for (const entry of existing) servers.emulator.setProvider("bot", entry);
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
        servers.emulator.url,
        "--token",
        TOKEN,
        "--out",
        path.join(dir, "index.ts"),
      ],
      { encoding: "utf8", env: { ...process.env, WHATSAPP_API_TOKEN: "" } },
    );
    const project = readProject(dir);
    const settings = configFromCommands(commands, project.name);
    Object.assign(settings.config, { "whatsapp:baseUrl": servers.emulator.url, "whatsapp:apiToken": TOKEN });
    settings.secretKeys.push("whatsapp:apiToken");
    await lifecycle(servers.emulator, {
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
    await lifecycle(servers.emulator, basicCase(servers, readProject(dir)));
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
