/**
 * Plugin step of the e2e engine driver: a source-based resource provider plugin (a folder with
 * `PulumiPlugin.yaml`, `runtime: nodejs`) started exactly as the engine has the Node language host
 * start it, the engine's `Engine` service it is given, and a gRPC client that records every answer.
 *
 * The launch, from pulumi/pulumi (`NewProvider` in pkg/resource/plugin/provider_plugin.go,
 * `defaultHost.Provider` in pkg/host/host.go, `ExecPlugin` in pkg/resource/plugin/plugin.go,
 * `RunPlugin` and `locateModule` in sdk/nodejs/cmd/pulumi-language-nodejs/main.go):
 *
 *     node <require.resolve('@pulumi/pulumi/cmd/run-plugin'), resolved in the plugin folder>
 *          <absolute plugin folder> 127.0.0.1:<engine port>
 *
 * in the program's folder (the engine's pwd), with the engine's environment plus
 * `PULUMI_RUNTIME_<OPTION>` for each runtime option of the program's project, `PULUMI_PROJECT`,
 * `PULUMI_CONFIG` (the stack config of the plugin's package, decrypted, keys without the namespace)
 * and `PULUMI_NODEJS_TYPESCRIPT=true` (the `typescript` runtime option defaults to true and
 * PulumiPlugin.yaml sets none). The engine reads the port from the first line of stdout; what comes
 * after is kept here (`stdoutAfterPort`), as is stderr and what the plugin logs through `Engine`.
 *
 * Every call is recorded (`exchanges`): the answer with its Struct fields decoded (secrets and
 * unknowns as on the wire), or the gRPC status of the failure, so a test can scan them all.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ProviderHost, type RpcMethod, type Rpcs } from "./host";
import { nodeBinary } from "./install";
import { Monitor } from "./monitor";
import { runnerPath } from "./program";
import type { PropertyMap } from "./props";

/** How the engine would start the plugin. */
export interface PluginLaunch {
  /** The plugin folder (made absolute, as the engine does). */
  pluginDir: string;
  /** The program's folder: the plugin's working directory. */
  programDir: string;
  /** The program's project name (`PULUMI_PROJECT`). */
  project: string;
  /** The plugin's package name: the namespace of the stack config it gets in `PULUMI_CONFIG`. */
  pkg: string;
  /** The stack config, namespaced keys (`whatsapp:botId`) to decrypted values. */
  config?: Record<string, string>;
  /** The program project's runtime options (`PULUMI_RUNTIME_<KEY>`), e.g. `{ virtualenv: "venv" }`. */
  runtimeOptions?: Record<string, string | number | boolean>;
  /** Extra environment of the engine. */
  env?: NodeJS.ProcessEnv;
  /** The `node` to run (default: `E2E_NODE`, else this process's). */
  node?: string;
  /**
   * Record every answer in `exchanges` (default true). The benchmark's thousands of calls leave it
   * off: decoding each answer would be the driver's time, added to the plugin's.
   */
  record?: boolean;
}

/** One call and its outcome. */
export interface Exchange {
  method: RpcMethod;
  /** The answer, Struct fields as plain values (secrets wrapped and unknowns as the plugin sent them). */
  response?: Record<string, unknown>;
  /** The gRPC status of a failed call. */
  error?: { code: number; details: string };
}

interface Message {
  toObject(): Record<string, unknown>;
}

const isStruct = (value: unknown): value is Struct =>
  typeof (value as Partial<Struct> | undefined)?.toJavaScript === "function";

/** A response with each Struct field (`properties`, `inputs`, `return`) as its JavaScript value. */
function decode(message: Message): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message.toObject())) {
    const name = key.replace(/^pb_/, ""); // jspb's name for fields called like a JS keyword (`return`)
    const getter = (message as unknown as Record<string, unknown>)[
      `get${name[0]?.toUpperCase()}${name.slice(1)}`
    ];
    const field: unknown = typeof getter === "function" ? getter.call(message) : undefined;
    decoded[name] = isStruct(field) ? field.toJavaScript() : value;
  }
  return decoded;
}

/**
 * The launch of the plugin of this package installed in the program folder `programDir`, with
 * `config` (keys without the namespace) as the stack config of the plugin's package `scope.pkg`.
 */
export function installedPluginLaunch(
  programDir: string,
  scope: { project: string; pkg: string },
  config: Record<string, string>,
): PluginLaunch {
  return {
    pluginDir: path.join(programDir, "node_modules", "pulumi-sinch-whatsapp", "plugin"),
    programDir,
    project: scope.project,
    pkg: scope.pkg,
    config: Object.fromEntries(Object.entries(config).map(([key, value]) => [`${scope.pkg}:${key}`, value])),
  };
}

/** The environment the engine gives a resource plugin run by the Node language host. */
export function pluginEnv(launch: PluginLaunch): NodeJS.ProcessEnv {
  const prefix = `${launch.pkg}:`;
  const config = Object.fromEntries(
    Object.entries(launch.config ?? {})
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)), // as Go's json.Marshal writes a map
  );
  const options = Object.entries(launch.runtimeOptions ?? {}).map(([key, value]) => [
    `PULUMI_RUNTIME_${key.toUpperCase()}`,
    String(value),
  ]);
  return {
    ...process.env,
    ...launch.env,
    ...Object.fromEntries(options),
    PULUMI_PROJECT: launch.project,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_NODEJS_TYPESCRIPT: "true",
  };
}

export class PluginHost {
  /** Every call made, in order. */
  readonly exchanges: Exchange[] = [];
  private readonly EmptyClass: typeof Empty;

  private constructor(
    /** The plugin process and the gRPC client to it. */
    readonly host: ProviderHost,
    /** The engine's services the plugin was given (its `Log` calls are in `engine.logs`). */
    readonly engine: Monitor,
    /** The `run-plugin` script the host started, as `locateModule` found it. */
    readonly runPath: string,
    readonly launch: PluginLaunch,
  ) {
    this.EmptyClass = createRequire(path.join(launch.pluginDir, "package.json"))(
      "google-protobuf/google/protobuf/empty_pb",
    ).Empty;
  }

  /** Starts the plugin and waits for its port. */
  static async start(launch: PluginLaunch): Promise<PluginHost> {
    const pluginDir = path.resolve(launch.pluginDir);
    const refuse = () =>
      Promise.reject(new Error("a resource provider plugin registers and reads no resources"));
    const engine = await new Monitor({
      project: launch.project,
      stack: "dev",
      onRegister: refuse,
      onRead: refuse,
    }).start();
    const node = launch.node ?? nodeBinary();
    try {
      const runPath = runnerPath(pluginDir, node, "@pulumi/pulumi/cmd/run-plugin");
      // The client and messages load from the plugin folder: the SDK the plugin itself resolves.
      const host = await ProviderHost.start(pluginDir, {
        node,
        launch: {
          args: [runPath, pluginDir, engine.address],
          cwd: launch.programDir,
          env: pluginEnv(launch),
        },
      });
      return new PluginHost(host, engine, runPath, { ...launch, pluginDir });
    } catch (error) {
      engine.stop();
      throw error;
    }
  }

  get port(): number {
    return this.host.port;
  }

  /** Everything on stdout after the first line (the port). */
  get stdoutAfterPort(): string {
    const newline = this.host.stdout.indexOf("\n");
    return newline < 0 ? "" : this.host.stdout.slice(newline + 1);
  }

  get stderr(): string {
    return this.host.stderr;
  }

  /** One unary call, recorded with its decoded answer or its error status (unless `record` is false). */
  async call<M extends RpcMethod>(method: M, request: Rpcs[M][0]): Promise<Rpcs[M][1]> {
    if (this.launch.record === false) return this.host.call(method, request);
    try {
      const response = await this.host.call(method, request);
      this.exchanges.push({ method, response: decode(response as unknown as Message) });
      return response;
    } catch (error) {
      const { code, details } = error as { code?: number; details?: string };
      this.exchanges.push({ method, error: { code: code ?? -1, details: details ?? String(error) } });
      throw error;
    }
  }

  /** The decoded answer of the last call (throws when it failed). */
  lastResponse(): Record<string, unknown> {
    const last = this.exchanges.at(-1);
    if (!last?.response) throw new Error(`no answer recorded: ${JSON.stringify(last?.error)}`);
    return last.response;
  }

  /** A request message; fields this SDK's protocol lacks are left out, as an older engine would. */
  request: ProviderHost["request"] = (name, fields) => this.host.request(name, fields);

  empty(): Empty {
    return new this.EmptyClass();
  }

  toStruct(value: PropertyMap): Struct {
    return this.host.toStruct(value);
  }

  fromStruct(struct: Struct | undefined): PropertyMap {
    return this.host.fromStruct(struct);
  }

  /** Ends the plugin (SIGTERM, as the engine's kill of the language host's child) and the engine services. */
  async stop(): Promise<void> {
    await this.host.stop();
    this.engine.stop();
  }
}
