/**
 * The demo's whole flow (up, message, refresh, destroy, or --keep) through the Automation API,
 * with a stand-in `pulumi` on PATH. The stand-in is not Pulumi: it answers the commands the
 * Automation API runs (version, stack select/init, config set-all, up, refresh, destroy, stack
 * output, stack history) and does up/destroy by calling the emulator with the package's client.
 * What it checks is the demo's side: the calls it makes, what it reads back, what it prints, that
 * it prints no secret, and what it leaves behind. `test/demo-program.test.ts` checks the program.
 */
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childOutput } from "./support/child-output";

const REPO = path.join(__dirname, "..");
const DEMO = path.join(REPO, "dist", "demo", "main.js");

const STAND_IN = `#!${process.execPath}
"use strict";
const fs = require("node:fs");
const { MediaProviderClient } = require(${JSON.stringify(path.join(REPO, "dist", "client"))});
const args = process.argv.slice(2);
const file = process.env.FAKE_PULUMI_STATE;
const state = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : { config: {}, history: [] };
const save = () => fs.writeFileSync(file, JSON.stringify(state));
fs.appendFileSync(process.env.FAKE_PULUMI_LOG, args.join(" ") + "\\n");
const fail = (message, code = 255) => { process.stderr.write(message + "\\n"); process.exit(code); };
const client = () => new MediaProviderClient({
  botId: state.config["whatsapp:botId"],
  baseUrl: state.config["whatsapp:baseUrl"],
  apiToken: state.config["whatsapp:apiToken"],
});
const record = (kind, resourceChanges) => {
  const now = new Date().toISOString();
  state.history.unshift({ kind, startTime: now, endTime: now, message: "", environment: {}, config: {}, result: "succeeded", resourceChanges, version: state.history.length + 1 });
  save();
};
const CDN = "cdn-abcdefgh";
async function main() {
  const [cmd, sub] = args;
  if (cmd === "version") return console.log("v3.248.0");
  if (cmd === "stack" && sub === "select") return state.stack ? undefined : fail("error: no stack named 'dev' found");
  if (cmd === "stack" && sub === "init") { state.stack = args[2]; return save(); }
  if (cmd === "config" && sub === "set-all") {
    for (let i = 2; i < args.length; i++) {
      if (args[i] === "--plaintext" || args[i] === "--secret") {
        const pair = args[++i];
        const at = pair.indexOf("=");
        state.config[pair.slice(0, at)] = pair.slice(at + 1);
      }
    }
    return save();
  }
  if (cmd === "up") {
    console.log("Updating (dev)");
    const c = client();
    await c.upsert({ name: "media_bucket", type: "www", config: { basic: { username: state.config["app:bucketUser"], password: state.config["app:bucketPassword"] } } });
    await c.upsert({ name: CDN, type: "www", config: { bearer: state.config["app:cdnToken"] } });
    await c.close();
    console.log(" +  whatsapp:MediaProvider bucket created");
    console.log(" +  whatsapp:MediaProvider cdn created");
    state.outputs = { providerNames: { bucket: "media_bucket", cdn: CDN }, bucketUser: state.config["app:bucketUser"] };
    return record("update", { create: 3 });
  }
  if (cmd === "refresh") {
    const c = client();
    const n = (await c.list()).length;
    await c.close();
    console.log("Refreshing (dev)");
    return record("refresh", { same: n + 1 });
  }
  if (cmd === "destroy") {
    const c = client();
    await c.delete("media_bucket");
    await c.delete(CDN);
    await c.close();
    console.log("Destroying (dev)");
    state.outputs = {};
    return record("destroy", { delete: 3 });
  }
  if (cmd === "stack" && sub === "output") return console.log(JSON.stringify(state.outputs ?? {}));
  if (cmd === "stack" && sub === "history") return console.log(JSON.stringify(state.history.slice(0, 1)));
  fail("stand-in: unexpected command: " + args.join(" "), 3);
}
main().catch((e) => fail(String(e && e.stack || e), 4));
`;

let scratch: string;
let binDir: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "demo-flow-"));
  binDir = path.join(scratch, "bin");
  mkdirSync(binDir);
  writeFileSync(path.join(binDir, "pulumi"), STAND_IN);
  chmodSync(path.join(binDir, "pulumi"), 0o755);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  state: { config: Record<string, string> };
  calls: string;
}

async function demo(name: string, args: string[]): Promise<Finished> {
  const stateFile = path.join(scratch, `${name}-cli-state.json`);
  const log = path.join(scratch, `${name}-cli.log`);
  const pathWithoutPulumi = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => dir !== "" && !existsSync(path.join(dir, "pulumi")));
  const env = {
    ...process.env,
    PATH: [binDir, ...pathWithoutPulumi].join(path.delimiter),
    FAKE_PULUMI_STATE: stateFile,
    FAKE_PULUMI_LOG: log,
    DEMO_PULUMI_INSTALL_PROBE: "http://127.0.0.1:9",
  };
  const child = spawn(process.execPath, [DEMO, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  const { code, stdout, stderr } = await childOutput(child);
  if (process.env.DEMO_FLOW_PRINT) process.stdout.write(`${stdout}${stderr}`);
  return {
    code,
    stdout,
    stderr,
    state: JSON.parse(readFileSync(stateFile, "utf8")),
    calls: readFileSync(log, "utf8"),
  };
}

function expectNoSecrets(run: Finished): void {
  const secrets = ["app:bucketPassword", "app:cdnToken", "whatsapp:apiToken"].map((k) => run.state.config[k]);
  for (const secret of secrets) {
    expect(secret).toMatch(/^\S{16,}$/);
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
}

describe("npm run demo, driven through the Automation API (stand-in CLI)", () => {
  it("goes up, delivers the image, refreshes, destroys and removes its folder", async () => {
    const run = await demo("full", []);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain("==> [2/6] pulumi up: creating the media providers");
    expect(out).toContain("  up | Updating (dev)");
    expect(out).toContain("  up: 3 created");
    expect(out).toMatch(
      /Bot demo-bot has 2 media providers:\n.*\n\s+media_bucket\s+basic\s+username media-reader/,
    );
    expect(out).toMatch(/cdn-abcdefgh\s+bearer\s+token \(hidden\)/);
    expect(out).toContain(
      "image to 15550100001 (provider media_bucket): delivered: the storage answered 200 with 70 bytes of image/png",
    );
    expect(out).toContain("GET /media/welcome.png -> 200, Basic (username media-reader, password hidden)");
    expect(out).toContain("  refresh: 3 unchanged");
    expect(out).toContain("  destroy: 3 deleted");
    expect(out).toContain("Bot demo-bot has no media providers.");
    expect(out).toContain("Done.");
    const root = /Work folder: (\S+)/.exec(out)?.[1] ?? "";
    expect(root).not.toBe("");
    expect(existsSync(root)).toBe(false);
    for (const command of ["stack init", "config set-all", "up", "refresh", "destroy"]) {
      expect(run.calls).toMatch(new RegExp(`^${command} `, "m"));
    }
    expectNoSecrets(run);
  }, 90_000);

  it("with --keep, stops before destroy and leaves the stack, the backend and the emulator state", async () => {
    const statePath = path.join(scratch, "kept-emulator.json");
    const run = await demo("keep", ["--keep", "--state", statePath]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain("==> [5/5] Keeping the stack (--keep)");
    expect(run.calls).not.toMatch(/^destroy/m);
    const root = /Work folder: (\S+)/.exec(out)?.[1] ?? "";
    try {
      expect(existsSync(path.join(root, "program", "Pulumi.yaml"))).toBe(true);
      expect(existsSync(path.join(root, "backend"))).toBe(true);
      expect(out).toContain(`export PULUMI_BACKEND_URL=file://${path.join(root, "backend")}`);
      expect(out).toContain(`export PULUMI_CONFIG_PASSPHRASE_FILE=${path.join(root, "passphrase")}`);
      expect(out).toContain("pulumi stack ls");
      expect(out).toContain(`cd ${path.join(root, "program")}`);
      const port = /emulator {2}http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      expect(out).toContain(
        `node ${path.join(REPO, "dist", "cli", "main.js")} emulator --port ${port} --bot "demo-bot:$(cat ${path.join(root, "api-token")})" --state ${statePath}`,
      );
      for (const file of ["passphrase", "api-token"]) {
        expect(statSync(path.join(root, file)).mode & 0o077).toBe(0);
      }
      expect(readFileSync(path.join(root, "api-token"), "utf8").trim()).toBe(
        run.state.config["whatsapp:apiToken"],
      );
      const saved = readFileSync(statePath, "utf8");
      expect(saved).toContain("media_bucket");
      expect(saved).toContain("cdn-abcdefgh");
      expectNoSecrets(run);
    } finally {
      if (root.includes("wa-demo-")) rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);
});
