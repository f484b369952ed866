/**
 * `npm run demo` without the Pulumi CLI (how it fails: fast, exit 2, how to install), and the
 * pieces of the demo that need no CLI: locating the CLI, the probe, flags, and what it prints.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseOptions } from "../src/demo/main";
import {
  binaryIn,
  findOnPath,
  installInstructions,
  locatePulumi,
  PROBE_TIMEOUT_MS,
  probe,
} from "../src/demo/pulumi-cli";
import { BOT_ID, demoSecrets, describeChanges, fileUrl, stackConfig } from "../src/demo/run";
import {
  describeAuthorization,
  formatMessages,
  formatProviders,
  formatStorageRequests,
  LinePrefixer,
} from "../src/demo/summary";
import type { SentMessage, StorageRequestRecord } from "../src/emulator";
import type { MediaProviderEntry } from "../src/types/media-provider";
import { childOutput } from "./support/child-output";

// The test runs the built demo, as `npm run demo` does; `npm test` builds first.
const DEMO = path.join(__dirname, "..", "dist", "demo", "main.js");
// A closed port on loopback: the probe must fail at once, and nothing leaves the machine.
const CLOSED = "http://127.0.0.1:9";

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), "demo-test-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** PATH without any folder that holds a `pulumi`. */
function pathWithoutPulumi(): string {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => dir !== "" && !existsSync(path.join(dir, "pulumi")))
    .join(path.delimiter);
}

/** A fake `pulumi` in its own folder; returns the folder. */
function fakePulumi(name: string, script: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "pulumi");
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return dir;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDemo(args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  const child = spawn(process.execPath, [DEMO, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return childOutput(child).then((out) => {
    clearTimeout(killer);
    return out;
  });
}

/** A server on loopback that accepts connections and never answers; closed after `use`. */
async function silentServer<T>(use: (url: string) => Promise<T>): Promise<T> {
  const silent: Server = createServer(() => {
    // never answers
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  try {
    return await use(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/install.sh`);
  } finally {
    silent.closeAllConnections();
    silent.close();
  }
}

const noCliEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: pathWithoutPulumi(),
  DEMO_PULUMI_INSTALL_PROBE: CLOSED,
  DEMO_PULUMI_ROOT: path.join(scratch, "no-install-here"),
});

describe("npm run demo without the Pulumi CLI", () => {
  it("is built (run `npm run build` first)", () => {
    expect(existsSync(DEMO)).toBe(true);
  });

  it("exits 2 with the install instructions on stderr, having installed nothing", async () => {
    const env = noCliEnv();
    const result = await runDemo([], env);
    expect(result.code).toBe(2);
    expect(existsSync(env.DEMO_PULUMI_ROOT ?? "")).toBe(false);
    expect(result.stderr).toContain("curl -fsSL https://get.pulumi.com | sh");
    expect(result.stderr).toContain("brew install pulumi/tap/pulumi");
    expect(result.stderr).toContain("choco install pulumi");
    expect(result.stderr).toContain("No `pulumi` is on PATH");
    expect(result.stderr).toContain(`${CLOSED} did not answer (ECONNREFUSED)`);
    expect(result.stdout).toBe("");
  }, 15_000);

  it("exits 2 when the install site never answers, naming the probe's deadline", async () => {
    const result = await silentServer((url) =>
      runDemo([], { ...noCliEnv(), DEMO_PULUMI_INSTALL_PROBE: url }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`did not answer (no answer within ${PROBE_TIMEOUT_MS / 1000} s)`);
    expect(result.stderr).toContain("curl -fsSL https://get.pulumi.com | sh");
  }, 15_000);

  it("exits 2 with the instructions when the pulumi on PATH does not work", async () => {
    const broken = fakePulumi("broken", "echo 'exec format error' >&2; exit 1");
    const env = { ...noCliEnv(), PATH: `${broken}${path.delimiter}${pathWithoutPulumi()}` };
    const result = await runDemo([], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`The Pulumi CLI at ${path.join(broken, "pulumi")} cannot be used`);
    expect(result.stderr).toContain("curl -fsSL https://get.pulumi.com | sh");
  }, 15_000);

  it("answers --help with 0 and a bad flag or an existing --state file with 2, before looking for the CLI", async () => {
    const help = await runDemo(["--help"], noCliEnv());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--keep");
    const bad = await runDemo(["--nope"], noCliEnv());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--nope'");
    expect(bad.stderr).not.toContain("get.pulumi.com |");
    const existing = path.join(scratch, "existing-state.json");
    writeFileSync(existing, "{}");
    const state = await runDemo(["--state", existing], noCliEnv());
    expect(state.code).toBe(2);
    expect(state.stderr).toContain("exists already");
  }, 20_000);
});

describe("npm run demo with a stand-in pulumi whose `up` fails", () => {
  // Checks the way to `pulumi up` (program folder, services, stack, config through the Automation
  // API) and the clean-up after a failure. It is not the real CLI: nothing gets deployed.
  const FAKE = `printf '%s\\n' "$*" >> "$FAKE_PULUMI_LOG"
printf 'env %s %s\\n' "$PULUMI_BACKEND_URL" "\${PULUMI_CONFIG_PASSPHRASE:+passphrase-set}" >> "$FAKE_PULUMI_LOG"
case "$1" in
  version) echo "v3.248.0" ;;
  stack) if [ "$2" = select ]; then echo "error: no stack named 'dev' found" >&2; exit 255; fi ;;
  config) ;;
  up) echo "Updating (dev)"; echo "error: this stand-in cannot deploy" >&2; exit 255 ;;
  *) echo "unexpected: $*" >&2; exit 3 ;;
esac`;

  it("prepares everything, streams up's output with a prefix, then fails with 1 and removes its folder", async () => {
    const dir = fakePulumi("stand-in", FAKE);
    const log = path.join(scratch, "stand-in.log");
    const env = {
      ...noCliEnv(),
      PATH: `${dir}${path.delimiter}${pathWithoutPulumi()}`,
      FAKE_PULUMI_LOG: log,
    };
    const result = await runDemo([], env);
    expect(result.stderr).toContain("The demo failed");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Pulumi CLI 3.248.0 at ${path.join(dir, "pulumi")}`);
    expect(result.stdout).toMatch(/program +\S+: examples\/basic\/index\.ts with the package installed from/);
    expect(result.stdout).toContain("  up | Updating (dev)");
    const root = /Work folder: (\S+)/.exec(result.stdout)?.[1] ?? "";
    expect(root).toMatch(/wa-demo-/);
    expect(existsSync(root)).toBe(false);

    const calls = readFileSync(log, "utf8");
    expect(calls).toMatch(/^stack init dev --secrets-provider passphrase/m);
    expect(calls).toMatch(/^config set-all --stack dev .*--plaintext app:bucketUser=media-reader/m);
    for (const key of ["app:bucketPassword", "app:cdnToken", "whatsapp:apiToken"]) {
      expect(calls).toMatch(new RegExp(`--secret ${key}=`));
    }
    expect(calls).toMatch(/--plaintext whatsapp:baseUrl=http:\/\/127\.0\.0\.1:\d+/);
    expect(calls).toMatch(/^up .*--stack dev/m);
    expect(calls).toMatch(/^env file:\/\/\S+\/backend passphrase-set$/m);
  }, 60_000);
});

describe("locating the Pulumi CLI", () => {
  it("finds an executable pulumi on PATH, not a plain file", () => {
    const good = fakePulumi("on-path", "echo v3.248.0");
    const plain = path.join(scratch, "plain");
    mkdirSync(plain, { recursive: true });
    writeFileSync(path.join(plain, "pulumi"), "not executable");
    expect(findOnPath("pulumi", { PATH: [plain, good].join(path.delimiter) })).toBe(
      path.join(good, "pulumi"),
    );
    expect(findOnPath("pulumi", { PATH: plain })).toBeUndefined();
    expect(findOnPath("pulumi", {})).toBeUndefined();
  });

  it("prefers PATH, then an install in the cache root, then the probe", async () => {
    const good = fakePulumi("preferred", "echo v3.248.0");
    const root = path.join(scratch, "cache-root");
    const base = { DEMO_PULUMI_ROOT: root, DEMO_PULUMI_INSTALL_PROBE: CLOSED };
    expect(await locatePulumi({ ...base, PATH: good })).toEqual({
      kind: "path",
      command: path.join(good, "pulumi"),
    });
    const missing = await locatePulumi({ ...base, PATH: "" });
    expect(missing).toMatchObject({ kind: "missing", root, probeUrl: CLOSED, reason: "ECONNREFUSED" });
    mkdirSync(path.dirname(binaryIn(root)), { recursive: true });
    writeFileSync(binaryIn(root), "#!/bin/sh\n");
    chmodSync(binaryIn(root), 0o755);
    expect(await locatePulumi({ ...base, PATH: "" })).toEqual({ kind: "cached", root });
  });

  it("plans an install when the probe gets any answer", async () => {
    const server: Server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/install.sh`;
    try {
      const env = {
        PATH: "",
        DEMO_PULUMI_ROOT: path.join(scratch, "empty-root"),
        DEMO_PULUMI_INSTALL_PROBE: url,
      };
      expect(await locatePulumi(env)).toMatchObject({ kind: "installable", probeUrl: url });
    } finally {
      server.close();
    }
  });

  it("gives up a probe that gets no answer at its timeout, not before, and never throws", async () => {
    await silentServer(async (url) => {
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      try {
        let result: Awaited<ReturnType<typeof probe>> | undefined;
        const probing = probe(url, 300).then((r) => {
          result = r;
        });
        const settle = () => Promise.race([probing, new Promise((resolve) => setImmediate(resolve))]);
        await vi.advanceTimersByTimeAsync(299);
        await settle();
        expect(result).toBeUndefined();
        await vi.advanceTimersByTimeAsync(1);
        await settle();
        expect(result).toEqual({ ok: false, reason: "no answer within 0.3 s" });
      } finally {
        vi.useRealTimers();
      }
    });
    expect(await probe(CLOSED, 1_000)).toEqual({ ok: false, reason: "ECONNREFUSED" });
    expect(await probe("ftp://127.0.0.1/", 1_000)).toEqual({ ok: false, reason: "it is not an http(s) URL" });
    expect(await probe("not a url", 1_000)).toEqual({ ok: false, reason: "it is not a valid URL" });
  });

  it("tells how to install the CLI on each platform", () => {
    const text = installInstructions("Because.");
    expect(text).toContain("Because.");
    expect(text).toMatch(/curl -fsSL https:\/\/get\.pulumi\.com \| sh/);
    expect(text).toMatch(/brew install/);
    expect(text).toMatch(/choco install pulumi/);
  });
});

describe("the demo's flags", () => {
  it("parses --keep, --state and --port", () => {
    expect(parseOptions([])).toEqual({ keep: false, statePath: undefined, port: undefined });
    expect(parseOptions(["--keep", "--state", path.join(scratch, "new.json"), "--port", "8080"])).toEqual({
      keep: true,
      statePath: path.join(scratch, "new.json"),
      port: 8080,
    });
    expect(parseOptions(["-h"])).toEqual({ help: true });
    expect(parseOptions(["--port", "x"])).toMatch(/--port must be/);
    expect(parseOptions(["--port", "70000"])).toMatch(/--port must be/);
    expect(parseOptions(["extra"])).toMatch(/positional|Unexpected argument/i);
  });
});

describe("the stack config", () => {
  it("holds what examples/basic reads, with every secret marked secret", () => {
    const secrets = demoSecrets();
    const config = stackConfig(secrets, "http://127.0.0.1:1234", "http://127.0.0.1:4321");
    expect(Object.keys(config).sort()).toEqual([
      "app:bucketPassword",
      "app:bucketProbeUrl",
      "app:bucketUser",
      "app:cdnToken",
      "whatsapp:apiToken",
      "whatsapp:baseUrl",
      "whatsapp:botId",
    ]);
    for (const [key, entry] of Object.entries(config)) {
      const isSecretValue = [secrets.apiToken, secrets.bucketPassword, secrets.cdnToken].includes(
        entry.value,
      );
      expect(entry.secret === true, key).toBe(isSecretValue);
    }
    expect(config["whatsapp:botId"]?.value).toBe(BOT_ID);
    // Fresh secrets every run, fit for the emulator's token rule (no whitespace).
    const again = demoSecrets();
    expect(again.apiToken).not.toBe(secrets.apiToken);
    expect(secrets.apiToken).toMatch(/^\S{16,}$/);
  });

  it("points the file backend at a file:// URL", () => {
    expect(fileUrl("/tmp/x/backend")).toBe("file:///tmp/x/backend");
  });
});

describe("what the demo prints", () => {
  const PASSWORD = "pw-Very-Secret-81f3";
  const TOKEN = "bearer-Very-Secret-5c0e";
  const entries: MediaProviderEntry[] = [
    {
      name: "media_bucket",
      type: "www",
      config: { basic: { username: "media-reader", password: PASSWORD } },
    },
    { name: "cdn-abcdefgh", type: "www", config: { bearer: TOKEN } },
  ];

  it("lists providers by name and auth type, never with a password or token", () => {
    const text = formatProviders("demo-bot", entries);
    expect(text).toContain("Bot demo-bot has 2 media providers:");
    expect(text).toMatch(/media_bucket\s+basic\s+username media-reader/);
    expect(text).toMatch(/cdn-abcdefgh\s+bearer\s+token \(hidden\)/);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(TOKEN);
    expect(formatProviders("demo-bot", [])).toBe("Bot demo-bot has no media providers.\n");
  });

  it("describes storage requests without their credentials", () => {
    const basicHeader = `Basic ${Buffer.from(`media-reader:${PASSWORD}`).toString("base64")}`;
    const requests: StorageRequestRecord[] = [
      { method: "GET", url: "/media/welcome.png?sig=abc", authorization: basicHeader, status: 200 },
      { method: "HEAD", url: "/media/welcome.png", authorization: `Bearer ${TOKEN}`, status: 401 },
      { method: "GET", url: "/media/welcome.png", authorization: undefined, status: 401 },
      { method: "GET", url: "/x", authorization: `Digest ${PASSWORD}`, status: 401 },
    ];
    const text = formatStorageRequests(requests);
    expect(text).toContain("GET /media/welcome.png -> 200, Basic (username media-reader, password hidden)");
    expect(text).toContain("HEAD /media/welcome.png -> 401, Bearer (token hidden)");
    expect(text).toContain("GET /media/welcome.png -> 401, no credentials");
    expect(text).not.toContain("sig=abc");
    for (const secret of [PASSWORD, TOKEN, basicHeader.slice(6)]) expect(text).not.toContain(secret);
    expect(describeAuthorization("Basic bm9jb2xvbg==")).toBe("Basic (malformed)");
    expect(formatStorageRequests([])).toContain("no request");
  });

  it("reports delivered and failed messages", () => {
    const messages: SentMessage[] = [
      {
        messageId: "m1",
        recipient: "15550100001",
        type: "image",
        url: "http://127.0.0.1/media/welcome.png",
        provider: "media_bucket",
        state: "delivered",
        download: { status: 200, contentType: "image/png", bytes: 70, redirects: 0 },
        at: "2026-01-01T00:00:00.000Z",
      },
      {
        messageId: "m2",
        recipient: "15550100002",
        type: "image",
        state: "failed",
        reason: "media_download_unauthorized",
        details: "the storage answered 401 Unauthorized",
        at: "2026-01-01T00:00:00.000Z",
      },
    ];
    const text = formatMessages(messages);
    expect(text).toContain(
      "image to 15550100001 (provider media_bucket): delivered: the storage answered 200 with 70 bytes of image/png",
    );
    expect(text).toContain("image to 15550100002 (no provider): failed, media_download_unauthorized");
  });

  it("prefixes streamed output line by line, holding partial lines", () => {
    let written = "";
    const lines = new LinePrefixer("  up | ", (text) => {
      written += text;
    });
    lines.push("Updating (dev)\r\n\nType  Na");
    expect(written).toBe("  up | Updating (dev)\n  up | \n");
    lines.push("me\n + pulumi:pulumi:Stack");
    lines.flush();
    expect(written).toBe(
      "  up | Updating (dev)\n  up | \n  up | Type  Name\n  up |  + pulumi:pulumi:Stack\n",
    );
    lines.flush();
    expect(written.endsWith("Stack\n")).toBe(true);
  });

  it("summarises resource changes", () => {
    expect(describeChanges({ create: 3 })).toBe("3 created");
    expect(describeChanges({ same: 3, update: 0, delete: 1 })).toBe("3 unchanged, 1 deleted");
    expect(describeChanges(undefined)).toBe("no changes");
  });
});
