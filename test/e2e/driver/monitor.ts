/**
 * Monitor step of the e2e engine driver: the engine's side of the gRPC conversation with a program.
 *
 * `pulumi up` starts the program runner with the addresses of two services the engine serves:
 * `ResourceMonitor` (the program registers its resources there) and `Engine` (logging, the root
 * stack resource). This file answers both, with the service definitions that ship in
 * `@pulumi/pulumi/proto`. It keeps no state of its own: each `RegisterResource` of a custom resource
 * is handed to `onRegister` (the `Stack`, which talks to the provider host) and answered with what
 * that returns; component resources and the root stack are answered at once. Stack outputs
 * (`RegisterResourceOutputs` of the root stack) and log lines are recorded.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as grpc from "@grpc/grpc-js";
import type * as rpb from "@pulumi/pulumi/proto/resource_pb";
import { REPO_ROOT } from "./install";
import type { PropertyMap } from "./props";

const req = createRequire(path.join(REPO_ROOT, "package.json"));
const grpcJs: typeof grpc = req("@grpc/grpc-js");
const resourcePb: typeof rpb = req("@pulumi/pulumi/proto/resource_pb");
const { ResourceMonitorService } = req("@pulumi/pulumi/proto/resource_grpc_pb");
const { EngineService } = req("@pulumi/pulumi/proto/engine_grpc_pb");
const enginePb = req("@pulumi/pulumi/proto/engine_pb");
const { Empty } = req("google-protobuf/google/protobuf/empty_pb");
const { Struct } = req("google-protobuf/google/protobuf/struct_pb");

/** What the program registered, as the engine receives it. */
export interface Registration {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  parent: string;
  /** Inputs in RPC form: secrets wrapped in place, unknowns as the UNKNOWN string, `__provider` included. */
  inputs: PropertyMap;
  additionalSecretOutputs: string[];
  /** The resource option, when the program set it. */
  deleteBeforeReplace?: boolean;
  dependencies: string[];
  /** The serialized provider closure (`__provider`), or null for non-dynamic resources. */
  provider: string | null;
  /** `performance.now()` when the registration reached the monitor. */
  receivedAt: number;
  /** Set for a read of an existing resource (`ReadResource`, e.g. `MediaProvider.get`): the id asked for. */
  readId?: string;
}

/** The answer to a RegisterResource: the resource's id (empty in preview) and its outputs. */
export interface Registered {
  id: string;
  outputs: PropertyMap;
}

/** Features this monitor has: secrets travel wrapped; everything newer is declined. */
const FEATURES = new Set(["secrets"]);
const STACK_TYPE = "pulumi:pulumi:Stack";

export interface MonitorOptions {
  project: string;
  stack: string;
  /** Called for each custom resource; a rejection fails that registration (and so the program). */
  onRegister: (r: Registration) => Promise<Registered>;
  /** Called for each `ReadResource` (a registration with `readId`); a rejection fails the program. */
  onRead: (r: Registration) => Promise<Registered>;
}

/** Answers the program runner's `ResourceMonitor` and `Engine` calls on one loopback port. */
export class Monitor {
  readonly registrations: Registration[] = [];
  /** Stack outputs, as the program exported them (secrets wrapped). */
  stackOutputs: PropertyMap = {};
  /** Messages the program logged through the engine (`pulumi.log`, errors of the runner). */
  readonly logs: { severity: number; message: string; urn: string }[] = [];
  address = "";
  private rootUrn = "";
  private readonly server = new grpcJs.Server();

  constructor(private readonly opts: MonitorOptions) {
    this.server.addService(ResourceMonitorService, this.monitorHandlers());
    this.server.addService(EngineService, this.engineHandlers());
  }

  async start(): Promise<this> {
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync("127.0.0.1:0", grpcJs.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    this.address = `127.0.0.1:${port}`;
    return this;
  }

  stop(): void {
    this.server.forceShutdown();
  }

  /** The URN the engine gives a resource: the parent's type chain (the stack excluded), then type and name. */
  urnOf(type: string, name: string, parent: string): string {
    const parentType = parent ? (parent.split("::")[2] ?? "") : "";
    const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${this.opts.stack}::${this.opts.project}::${qualified}::${name}`;
  }

  private monitorHandlers() {
    const unary = <Q, R>(fn: (request: Q) => Promise<R> | R) => handler(fn);
    return {
      supportsFeature: unary((r: rpb.SupportsFeatureRequest) =>
        new resourcePb.SupportsFeatureResponse().setHassupport(FEATURES.has(r.getId())),
      ),
      registerResource: unary((r: rpb.RegisterResourceRequest) => this.register(r)),
      registerResourceOutputs: unary((r: rpb.RegisterResourceOutputsRequest) => {
        if (r.getUrn() === this.rootUrn) this.stackOutputs = toObject(r.getOutputs());
        return new Empty();
      }),
      signalAndWaitForShutdown: unary(() => new Empty()),
      invoke: unary((r: rpb.ResourceInvokeRequest) => {
        throw new Error(`the e2e driver answers no invoke (${r.getTok()})`);
      }),
      readResource: unary((r: rpb.ReadResourceRequest) => this.read(r)),
    };
  }

  private engineHandlers() {
    return {
      log: handler((r: { getSeverity(): number; getMessage(): string; getUrn(): string }) => {
        this.logs.push({ severity: r.getSeverity(), message: r.getMessage(), urn: r.getUrn() });
        return new Empty();
      }),
      getRootResource: handler(() => new enginePb.GetRootResourceResponse().setUrn(this.rootUrn)),
      setRootResource: handler((r: { getUrn(): string }) => {
        this.rootUrn = r.getUrn();
        return new enginePb.SetRootResourceResponse();
      }),
    };
  }

  /**
   * A read of an existing resource, answered as the engine's resmon.ReadResource does
   * (pkg/resource/deploy/source_eval.go): the URN and the read step's outputs.
   */
  private async read(r: rpb.ReadResourceRequest): Promise<rpb.ReadResourceResponse> {
    const registration = this.record(r, toObject(r.getProperties()), { custom: true, readId: r.getId() });
    const { outputs } = await this.opts.onRead(registration);
    return new resourcePb.ReadResourceResponse().setUrn(registration.urn).setProperties(toStruct(outputs));
  }

  private async register(r: rpb.RegisterResourceRequest): Promise<rpb.RegisterResourceResponse> {
    const registration = this.record(r, toObject(r.getObject()), {
      custom: r.getCustom(),
      deleteBeforeReplace: r.getDeletebeforereplacedefined() ? r.getDeletebeforereplace() : undefined,
    });
    const response = new resourcePb.RegisterResourceResponse().setUrn(registration.urn);
    if (!r.getCustom()) return response.setObject(toStruct({}));
    const { id, outputs } = await this.opts.onRegister(registration);
    return response.setId(id).setObject(toStruct(outputs));
  }

  /** What a RegisterResource or ReadResource says of a resource, recorded as a registration. */
  private record(
    r: rpb.RegisterResourceRequest | rpb.ReadResourceRequest,
    inputs: PropertyMap,
    own: Pick<Registration, "custom" | "deleteBeforeReplace" | "readId">,
  ): Registration {
    const registration: Registration = {
      type: r.getType(),
      name: r.getName(),
      urn: this.urnOf(r.getType(), r.getName(), r.getParent()),
      parent: r.getParent(),
      inputs,
      additionalSecretOutputs: r.getAdditionalsecretoutputsList(),
      dependencies: r.getDependenciesList(),
      provider: providerString(inputs.__provider),
      receivedAt: performance.now(),
      ...own,
    };
    this.registrations.push(registration);
    return registration;
  }
}

/** An answer's Struct: plain JSON (the Struct cannot hold undefined). */
function toStruct(value: PropertyMap): ReturnType<rpb.ReadResourceResponse["getProperties"]> {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function toObject(struct: { toJavaScript(): unknown } | undefined): PropertyMap {
  return (struct?.toJavaScript() ?? {}) as PropertyMap;
}

function providerString(value: unknown): string | null {
  if (typeof value === "string") return value;
  const wrapped = value as { value?: unknown } | undefined;
  return typeof wrapped?.value === "string" ? wrapped.value : null;
}

/** A unary gRPC handler from a function; a thrown error becomes the call's error status. */
function handler<Q, R>(fn: (request: Q) => Promise<R> | R): grpc.handleUnaryCall<Q, R> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (res) => callback(null, res),
        (err: Error) =>
          callback({ code: grpcJs.status.UNKNOWN, details: err.message, name: "", message: "" }),
      );
  };
}
