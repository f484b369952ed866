/**
 * The engine's calls to a resource provider plugin, built as pulumi/pulumi's
 * pkg/resource/plugin/provider_plugin.go builds them, on a {@link PluginHost}:
 *
 * - `CheckConfig` and `DiffConfig` get the provider's inputs with secrets **unwrapped** (they
 *   marshal without KeepSecrets); `Configure` gets `variables` keyed `<pkg>:config:<key>` (secrets unwrapped,
 *   strings) and `args` (secrets wrapped), with `acceptSecrets`, `acceptResources`,
 *   `sendsOldInputs` and `sendsOldInputsToDelete` set.
 * - After a Configure answered `acceptSecrets`, resource calls carry secrets wrapped; unknowns
 *   (previews only) are the UNKNOWN string.
 * - Check: `urn`, `name`, `type`, `olds` (`{}` on create), `news`, `randomSeed`. Diff: `id`, `olds`
 *   (old outputs), `oldInputs`, `news`, `ignoreChanges`. Create: `properties`, `preview`. Read:
 *   `id`, `properties` (state) and `inputs` for a refresh, only the `id` for an import. Update:
 *   `olds`, `oldInputs`, `news`, `preview`. Delete: `properties` (outputs), `oldInputs`.
 *
 * Fields the SDK's protocol does not have yet are left out, as an older engine would.
 */
import { randomBytes } from "node:crypto";
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { PluginHost } from "./plugin-host";
import { makeSecret, type PropertyMap } from "./props";

export interface CheckResult {
  inputs: PropertyMap;
  failures: { property: string; reason: string }[];
}

export interface DiffResult {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  diffs: string[];
  /** Property path -> kind (`UPDATE`, `ADD_REPLACE`, ...). */
  detailed: Record<string, string>;
  deleteBeforeReplace: boolean;
}

/** A resource as the engine keeps it in its state. */
export interface LiveResource {
  type: string;
  name: string;
  id: string;
  inputs: PropertyMap;
  outputs: PropertyMap;
  /** The random seed the engine gave it at its first Check (kept for its later Checks). */
  seed: Uint8Array;
}

/** The stack the calls are made for. */
export interface CallScope {
  project: string;
  stack: string;
  /** The plugin's package name (`whatsapp`): config namespace and provider type. */
  pkg: string;
}

const CHANGES = ["unknown", "none", "some"] as const;

export class ProviderCalls {
  constructor(
    readonly plugin: PluginHost,
    readonly scope: CallScope,
  ) {}

  urn(type: string, name: string): string {
    return `urn:pulumi:${this.scope.stack}::${this.scope.project}::${type}::${name}`;
  }

  /** The default provider of the package, as the engine registers it. */
  get providerUrn(): string {
    return this.urn(`pulumi:providers:${this.scope.pkg}`, "default");
  }

  /** A fresh random seed, as the engine makes for each new resource. */
  static seed(): Uint8Array {
    return randomBytes(32);
  }

  /** The Handshake the engine sends first (SDKs that define it): `unimplemented` makes it fall back to Configure. */
  async handshake(): Promise<"answered" | "unimplemented" | "not in this SDK"> {
    if (!this.plugin.host.pb.ProviderHandshakeRequest) return "not in this SDK";
    const { pluginDir } = this.plugin.launch;
    const request = this.plugin.request("ProviderHandshakeRequest", {
      engineAddress: this.plugin.engine.address,
      rootDirectory: pluginDir,
      programDirectory: pluginDir,
      configureWithUrn: true,
      supportsViews: true,
      supportsRefreshBeforeUpdate: true,
      invokeWithPreview: true,
      acceptsByteString: true,
    });
    return this.plugin.call("handshake", request).then(
      () => "answered" as const,
      (error: { code?: number }) => {
        if (error.code === UNIMPLEMENTED) return "unimplemented" as const;
        throw error;
      },
    );
  }

  async pluginInfo(): Promise<string> {
    return (await this.plugin.call("getPluginInfo", this.plugin.empty())).getVersion();
  }

  /** The package schema (version 0), parsed. */
  async schema(): Promise<Record<string, unknown>> {
    const response = await this.plugin.call(
      "getSchema",
      this.plugin.request("GetSchemaRequest", { version: 0 }),
    );
    return JSON.parse(response.getSchema());
  }

  /** CheckConfig of the provider's inputs (config keys without namespace); secrets go unwrapped. */
  async checkConfig(news: PropertyMap, olds: PropertyMap = {}): Promise<CheckResult> {
    const request = this.plugin.request("CheckRequest", {
      ...this.resourceFields(`pulumi:providers:${this.scope.pkg}`, "default"),
      olds: this.plugin.toStruct(olds),
      news: this.plugin.toStruct(news),
    });
    return this.checkResult(await this.plugin.call("checkConfig", request));
  }

  /** DiffConfig of the provider's old and new inputs; secrets go unwrapped, and no id. */
  async diffConfig(olds: PropertyMap, news: PropertyMap): Promise<DiffResult> {
    const request = this.plugin.request("DiffRequest", {
      ...this.resourceFields(`pulumi:providers:${this.scope.pkg}`, "default"),
      olds: this.plugin.toStruct(olds),
      oldInputs: this.plugin.toStruct(olds),
      news: this.plugin.toStruct(news),
    });
    return this.diffResult(await this.plugin.call("diffConfig", request));
  }

  /** Configure from the stack config of the package (keys without namespace); `secretKeys` travel wrapped in `args`. */
  async configure(
    config: Record<string, string>,
    secretKeys: readonly string[],
  ): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const args = Object.fromEntries(
      Object.entries(config).map(([key, value]) => [
        key,
        secretKeys.includes(key) ? makeSecret(value) : value,
      ]),
    );
    const request = this.plugin.request("ConfigureRequest", {
      args: this.plugin.toStruct(args),
      acceptsecrets: true,
      acceptresources: true,
      sendsOldInputs: true,
      sendsOldInputsToDelete: true,
      ...this.resourceFields(`pulumi:providers:${this.scope.pkg}`, "default"),
      id: "provider-id",
    });
    for (const [key, value] of Object.entries(config)) {
      request.getVariablesMap().set(`${this.scope.pkg}:config:${key}`, value);
    }
    const response = await this.plugin.call("configure", request);
    return { acceptSecrets: response.getAcceptsecrets(), supportsPreview: response.getSupportspreview() };
  }

  async check(
    type: string,
    name: string,
    news: PropertyMap,
    olds: PropertyMap = {},
    seed = ProviderCalls.seed(),
  ): Promise<CheckResult> {
    const request = this.plugin.request("CheckRequest", {
      ...this.resourceFields(type, name),
      olds: this.plugin.toStruct(olds),
      news: this.plugin.toStruct(news),
      randomseed: seed,
    });
    return this.checkResult(await this.plugin.call("check", request));
  }

  async create(
    type: string,
    name: string,
    properties: PropertyMap,
    preview = false,
  ): Promise<{ id: string; outputs: PropertyMap }> {
    const request = this.plugin.request("CreateRequest", {
      ...this.resourceFields(type, name),
      properties: this.plugin.toStruct(properties),
      timeout: 0,
      preview,
    });
    const response = await this.plugin.call("create", request);
    return { id: response.getId(), outputs: this.plugin.fromStruct(response.getProperties()) };
  }

  async diff(resource: LiveResource, news: PropertyMap): Promise<DiffResult> {
    const request = this.plugin.request("DiffRequest", {
      ...this.resourceFields(resource.type, resource.name),
      id: resource.id,
      olds: this.plugin.toStruct(resource.outputs),
      oldInputs: this.plugin.toStruct(resource.inputs),
      news: this.plugin.toStruct(news),
      ignorechangesList: [],
    });
    return this.diffResult(await this.plugin.call("diff", request));
  }

  async update(resource: LiveResource, news: PropertyMap, preview = false): Promise<PropertyMap> {
    const request = this.plugin.request("UpdateRequest", {
      ...this.resourceFields(resource.type, resource.name),
      id: resource.id,
      olds: this.plugin.toStruct(resource.outputs),
      oldInputs: this.plugin.toStruct(resource.inputs),
      news: this.plugin.toStruct(news),
      timeout: 0,
      ignorechangesList: [],
      preview,
    });
    return this.plugin.fromStruct((await this.plugin.call("update", request)).getProperties());
  }

  /** A refresh (with the resource's state) or, with `state` left out, an import: only the id. */
  async read(
    type: string,
    name: string,
    id: string,
    state?: { outputs: PropertyMap; inputs: PropertyMap },
  ): Promise<{ id: string; outputs: PropertyMap; inputs: PropertyMap | undefined }> {
    const request = this.plugin.request("ReadRequest", {
      ...this.resourceFields(type, name),
      id,
      properties: this.plugin.toStruct(state?.outputs ?? {}),
      ...(state ? { inputs: this.plugin.toStruct(state.inputs) } : {}),
    });
    const response = await this.plugin.call("read", request);
    const inputs = response.getInputs();
    return {
      id: response.getId(),
      outputs: this.plugin.fromStruct(response.getProperties()),
      inputs: inputs ? this.plugin.fromStruct(inputs) : undefined,
    };
  }

  async delete(resource: LiveResource): Promise<void> {
    const request = this.plugin.request("DeleteRequest", {
      ...this.resourceFields(resource.type, resource.name),
      id: resource.id,
      properties: this.plugin.toStruct(resource.outputs),
      oldInputs: this.plugin.toStruct(resource.inputs),
      timeout: 0,
    });
    await this.plugin.call("delete", request);
  }

  async invoke(
    tok: string,
    args: PropertyMap,
  ): Promise<{ result: PropertyMap; failures: CheckResult["failures"] }> {
    const request = this.plugin.request("InvokeRequest", { tok, args: this.plugin.toStruct(args) });
    const response = await this.plugin.call("invoke", request);
    return { result: this.plugin.fromStruct(response.getReturn()), failures: failuresOf(response) };
  }

  async cancel(): Promise<void> {
    await this.plugin.call("cancel", this.plugin.empty());
  }

  private resourceFields(type: string, name: string) {
    return { urn: this.urn(type, name), name, type };
  }

  private checkResult(response: pb.CheckResponse): CheckResult {
    return { inputs: this.plugin.fromStruct(response.getInputs()), failures: failuresOf(response) };
  }

  private diffResult(response: pb.DiffResponse): DiffResult {
    const kinds = Object.fromEntries(
      Object.entries(this.plugin.host.pb.PropertyDiff.Kind).map(([kind, value]) => [value, kind]),
    );
    const detailed: Record<string, string> = {};
    response.getDetaileddiffMap().forEach((entry, key) => {
      detailed[key] = kinds[entry.getKind()] ?? String(entry.getKind());
    });
    return {
      changes: CHANGES[response.getChanges()] ?? "unknown",
      replaces: response.getReplacesList(),
      diffs: response.getDiffsList(),
      detailed,
      deleteBeforeReplace: response.getDeletebeforereplace(),
    };
  }
}

/** gRPC's UNIMPLEMENTED: what grpc-js answers for a method the plugin does not serve. */
export const UNIMPLEMENTED = 12;

function failuresOf(response: pb.CheckResponse | pb.InvokeResponse): CheckResult["failures"] {
  return response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
}
