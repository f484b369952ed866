/**
 * Host step of the e2e engine driver: the SDK's own dynamic-provider plugin, plus a gRPC client to it.
 *
 * Starts `node node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js <engine-address>` in the
 * program folder, as the engine starts `pulumi-resource-pulumi-nodejs`. The host only needs the
 * argument to exist (it never dials the engine); it prints its gRPC port on stdout. As the engine
 * does for this plugin, it gets `PULUMI_NODEJS_PROJECT`/`PULUMI_PROJECT` (the provider's
 * `config.get("key")` resolves unqualified keys against `getProject()`) and the whole stack config in
 * `PULUMI_CONFIG`. The gRPC client, protobuf messages and `Struct` are loaded from the program
 * folder's node_modules, the same copies the host uses. Every call is counted by method.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as grpc from "@grpc/grpc-js";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import type { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PropertyMap } from "./props";

/** The RPCs the driver makes: method -> [request, response]. */
export interface Rpcs {
  handshake: [pb.ProviderHandshakeRequest, pb.ProviderHandshakeResponse];
  configure: [pb.ConfigureRequest, pb.ConfigureResponse];
  check: [pb.CheckRequest, pb.CheckResponse];
  diff: [pb.DiffRequest, pb.DiffResponse];
  create: [pb.CreateRequest, pb.CreateResponse];
  read: [pb.ReadRequest, pb.ReadResponse];
  update: [pb.UpdateRequest, pb.UpdateResponse];
  delete: [pb.DeleteRequest, Empty];
  getPluginInfo: [Empty, PluginInfo];
  getSchema: [pb.GetSchemaRequest, pb.GetSchemaResponse];
  checkConfig: [pb.CheckRequest, pb.CheckResponse];
  diffConfig: [pb.DiffRequest, pb.DiffResponse];
  invoke: [pb.InvokeRequest, pb.InvokeResponse];
  cancel: [Empty, Empty];
}
export type RpcMethod = keyof Rpcs;
/** The request messages the driver builds. */
type RequestName =
  | "ProviderHandshakeRequest"
  | "ConfigureRequest"
  | "CheckRequest"
  | "DiffRequest"
  | "CreateRequest"
  | "ReadRequest"
  | "UpdateRequest"
  | "DeleteRequest"
  | "GetSchemaRequest"
  | "InvokeRequest";

/** A process to start instead of the dynamic-provider host (a provider plugin, see plugin-host.ts). */
export interface HostLaunch {
  /** Arguments after `node`. */
  args: string[];
  /** The whole environment. */
  env: NodeJS.ProcessEnv;
  /** Working directory. */
  cwd: string;
}

export interface HostOptions {
  project?: string;
  /** Stack config (namespaced keys, plain values) for `PULUMI_CONFIG`. */
  config?: Record<string, string>;
  env?: Record<string, string>;
  /** Extra counter to add call counts to (besides `host.calls`). */
  counter?: Record<string, number>;
  startTimeoutMs?: number;
  /** The `node` binary (default: this process's). */
  node?: string;
  /**
   * Start this process instead of the dynamic-provider host (`project`, `config` and `env` are then
   * unused); the gRPC client and messages still load from the `dir` given to `start`.
   */
  launch?: HostLaunch;
}

/** USER_HZ on Linux: the unit of the times in /proc/<pid>/stat. */
const CLOCK_TICKS_PER_S = 100;

export class ProviderHost {
  /** Protobuf message classes (`provider_pb`) from the program folder. */
  readonly pb: typeof pb;
  readonly calls: Record<string, number> = {};
  stdout = "";
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly StructClass: typeof Struct;
  private client?: ResourceProviderClient;
  private exitInfo?: { code: number | null; signal: NodeJS.Signals | null };

  private constructor(
    private readonly dir: string,
    readonly proc: ChildProcess,
    private readonly counter?: Record<string, number>,
  ) {
    const req = createRequire(path.join(dir, "package.json"));
    this.pb = req("@pulumi/pulumi/proto/provider_pb");
    this.StructClass = req("google-protobuf/google/protobuf/struct_pb").Struct;
    proc.stdout?.setEncoding("utf8").on("data", (d: string) => {
      this.stdout += d;
    });
    proc.stderr?.setEncoding("utf8").on("data", (d: string) => {
      this.stderr += d;
    });
    // "close" (not "exit"): all of stdout/stderr has been read by then.
    this.exited = new Promise((resolve) => {
      proc.on("close", (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  /** gRPC port (set once started). */
  port = 0;
  /** Milliseconds from spawn until the port was printed. */
  startMs = 0;

  static async start(dir: string, opts: HostOptions = {}): Promise<ProviderHost> {
    const t0 = performance.now();
    const launch = opts.launch ?? dynamicProviderLaunch(dir, opts);
    const proc = spawn(opts.node ?? process.execPath, launch.args, {
      cwd: launch.cwd,
      env: launch.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const host = new ProviderHost(dir, proc, opts.counter);
    host.port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error("timed out waiting for the port")),
        opts.startTimeoutMs ?? 20_000,
      );
      const onData = () => {
        const match = /^(\d+)\r?\n/m.exec(host.stdout);
        if (match) done(undefined, Number(match[1]));
      };
      const onExit = (code: number | null, signal: string | null) =>
        done(new Error(`provider host exited early (code ${code}, signal ${signal})`));
      function done(err?: Error, port?: number) {
        clearTimeout(timer);
        proc.stdout?.off("data", onData);
        proc.off("exit", onExit);
        if (err) {
          proc.kill("SIGKILL");
          reject(new Error(`${err.message}\n${host.stderr}`));
        } else resolve(port as number);
      }
      proc.stdout?.on("data", onData);
      proc.on("exit", onExit);
    });
    host.startMs = Math.round(performance.now() - t0);
    return host;
  }

  private getClient(): ResourceProviderClient {
    if (!this.client) {
      const req = createRequire(path.join(this.dir, "package.json"));
      const grpcJs: typeof grpc = req("@grpc/grpc-js");
      const { ResourceProviderClient: Client } = req("@pulumi/pulumi/proto/provider_grpc_pb");
      this.client = new Client(`127.0.0.1:${this.port}`, grpcJs.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 << 20,
      }) as ResourceProviderClient;
    }
    return this.client;
  }

  /** One unary RPC; counted under its proto name (`Check`, `Create`, ...). */
  call<M extends RpcMethod>(method: M, request: Rpcs[M][0]): Promise<Rpcs[M][1]> {
    const name = method[0]?.toUpperCase() + method.slice(1);
    this.calls[name] = (this.calls[name] ?? 0) + 1;
    if (this.counter) this.counter[name] = (this.counter[name] ?? 0) + 1;
    const client = this.getClient();
    const fn = client[method] as unknown as (
      req: Rpcs[M][0],
      cb: (err: grpc.ServiceError | null, res: Rpcs[M][1]) => void,
    ) => void;
    return new Promise((resolve, reject) => {
      fn.call(client, request, (err, res) => (err ? reject(err) : resolve(res)));
    });
  }

  /**
   * A request message with the given fields (`urn` calls `setUrn`). Fields this SDK's protocol does
   * not have yet are left out, as an older engine would not send them: the driver serves every SDK
   * of the supported range.
   */
  request<K extends RequestName>(name: K, fields: Record<string, unknown>): InstanceType<(typeof pb)[K]> {
    const message = new this.pb[name]() as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(fields)) {
      const setter = message[`set${key[0]?.toUpperCase()}${key.slice(1)}`];
      if (typeof setter === "function") setter.call(message, value);
    }
    return message as unknown as InstanceType<(typeof pb)[K]>;
  }

  toStruct(value: PropertyMap): Struct {
    // JSON round trip drops `undefined`, which Struct.fromJavaScript rejects.
    return this.StructClass.fromJavaScript(JSON.parse(JSON.stringify(value)));
  }

  fromStruct(struct: Struct | undefined): PropertyMap {
    return (struct?.toJavaScript() ?? {}) as PropertyMap;
  }

  /** Closes the client and ends the host (SIGTERM, then SIGKILL after a grace period). */
  async stop(graceMs = 2_000): Promise<void> {
    this.client?.close();
    if (this.exitInfo) return;
    this.proc.kill("SIGTERM");
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /**
   * CPU time (user + system, ms) the host has used so far, from `/proc/<pid>/stat` (Linux); undefined
   * once the process is gone or where there is no /proc.
   */
  cpuMs(): number | undefined {
    try {
      const stat = readFileSync(`/proc/${this.proc.pid}/stat`, "utf8");
      // Fields after "(comm) ": state is the 1st, utime the 12th, stime the 13th; in clock ticks.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
    } catch {
      return undefined;
    }
  }

  /** SIGKILLs the host immediately, e.g. in the middle of an operation. */
  kill(): void {
    if (!this.exitInfo) this.proc.kill("SIGKILL");
  }
}

/** The engine's start of its pulumi-resource-pulumi-nodejs plugin: the SDK the program folder resolves. */
function dynamicProviderLaunch(dir: string, opts: HostOptions): HostLaunch {
  const entry = createRequire(path.join(dir, "package.json")).resolve("@pulumi/pulumi/cmd/dynamic-provider");
  const project = opts.project ?? "project";
  return {
    args: [entry, "127.0.0.1:1"],
    cwd: dir,
    env: {
      ...process.env,
      PULUMI_NODEJS_PROJECT: project,
      PULUMI_PROJECT: project,
      PULUMI_CONFIG: JSON.stringify(opts.config ?? {}),
      ...opts.env,
    },
  };
}
