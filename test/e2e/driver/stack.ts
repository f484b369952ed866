/**
 * Drive step of the e2e engine driver: a `Stack` that makes the engine's calls to a dynamic provider.
 *
 * Keeps state the way the engine does (per URN: id, inputs, outputs, with secrets wrapped in place) and
 * replays `pulumi up` / `preview` / `refresh` / `destroy` as the RPCs the engine would make, in its
 * order: like the engine's step generator (pkg/resource/deploy/step_generator.go, without
 * ParallelDiff), Check and Diff run one resource at a time in registration order, and the steps they
 * yield (Create, Update, Delete, Read) run with the step executor's unbounded parallelism (resources
 * are treated as independent). Each operation starts a fresh provider host, as each `pulumi` command does, sends
 * Handshake + Configure (the whole stack config, secret values wrapped), then per resource:
 *
 *   up:       Check(olds = old inputs | {}) -> Create | Diff(olds = old outputs) -> nothing | Update |
 *             replace (Check again with olds = {}, then Create-then-Delete, or Delete-then-Create when
 *             deleteBeforeReplace); afterwards, if nothing failed, Delete what is no longer declared and
 *             the replaced resources.
 *   preview:  Check + Diff only, returns the planned steps.
 *   refresh:  Read each; an empty id drops the resource.
 *   destroy:  Delete each.
 *
 * The dynamic provider answers Configure with acceptSecrets=false, so values are sent plain; secretness
 * is carried over like the engine's `annotateSecrets` (output secret where the same input was) plus
 * `additionalSecretOutputs`. `kill()` simulates interrupting the run: the host is SIGKILLed, no further
 * steps start, and operations in flight stay as pending operations in the state.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { ProviderHost, type RpcMethod, type Rpcs } from "./host";
import { nodeBinary } from "./install";
import { Monitor, type Registered, type Registration } from "./monitor";
import { type Project, type RunResult, runProgram } from "./program";
import {
  annotateSecrets,
  containsUnknowns,
  deepEqual,
  encryptSecrets,
  makeSecret,
  markSecretKeys,
  type PropertyMap,
  unwrapSecrets,
} from "./props";

export interface StackOptions {
  /** The Pulumi project (`readProject(folder)`); its program folder is the provider host's cwd too. */
  project: Project;
  /** Stack name (default "dev"). */
  stack?: string;
  /** Stack config, namespaced keys (`whatsapp:botId`) to plain string values. */
  config?: Record<string, string>;
  /** Which config keys are secret (`pulumi config set --secret`). */
  secretKeys?: string[];
  /** Extra env for the provider host. */
  hostEnv?: Record<string, string>;
  /** The `node` binary for the program and the provider host (default: {@link nodeBinary}). */
  node?: string;
}

/** Per-run settings of the program: extra environment (e.g. which providers a test program declares). */
export interface RunOptions {
  env?: Record<string, string>;
}

export interface ResourceState {
  urn: string;
  type: string;
  id: string;
  /** Checked inputs, secrets wrapped in place, `__provider` included. */
  inputs: PropertyMap;
  /** Outputs, secrets wrapped in place, `__provider` included. */
  outputs: PropertyMap;
  additionalSecretOutputs: string[];
  created: string;
  modified: string;
  /** Read by the program (`ReadResource`), not managed: its delete only removes it from state. */
  external?: boolean;
}

export interface PendingOperation {
  type: "creating" | "updating" | "deleting";
  urn: string;
  resourceType: string;
  id?: string;
  inputs: PropertyMap;
}

export type Op = "program" | "configure" | "check" | "diff" | "create" | "update" | "delete" | "read";
export interface CheckFailure {
  property: string;
  reason: string;
}
export interface Failure {
  urn: string;
  op: Op;
  message: string;
  /** Set when Check returned failures. */
  checkFailures?: CheckFailure[];
}

export type StepKind = "create" | "update" | "create-replacement" | "delete-replaced" | "delete" | "read";
export interface Step {
  kind: StepKind;
  urn: string;
  ok: boolean;
  /** `performance.now()` at start and end, for ordering/overlap checks. */
  startedAt: number;
  endedAt: number;
}

export interface PlannedStep {
  urn: string;
  op: "create" | "update" | "replace" | "same" | "delete";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface Summary {
  created: string[];
  updated: string[];
  replaced: string[];
  deleted: string[];
  same: string[];
  /** refresh: resources read back / dropped because the provider returned an empty id. */
  refreshed: string[];
  dropped: string[];
  /** up / preview: existing resources the program read (`ReadResource`). */
  read: string[];
  /** preview: the steps an update would take. */
  planned: PlannedStep[];
  failed: Failure[];
  steps: Step[];
  warnings: string[];
  /** up / preview: what the program registered, in order, and how it ended. */
  registrations: Registration[];
  program?: RunResult;
  ms: number;
  hostStartMs: number;
}

interface Diffed {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

const PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic";
/** How long a program may run before the driver gives up on it. */
const PROGRAM_TIMEOUT_MS = 10 * 60_000;
/** How long a program may go on after a step failed, to log the error, before it is cancelled. */
const CANCEL_GRACE_MS = 1_000;
/** The engine's LogSeverity INFO and ERROR (DEBUG is 0). */
const LOG_INFO = 1;
const LOG_ERROR = 3;

const emptySummary = (): Summary => ({
  created: [],
  updated: [],
  replaced: [],
  deleted: [],
  same: [],
  refreshed: [],
  dropped: [],
  read: [],
  planned: [],
  failed: [],
  steps: [],
  warnings: [],
  registrations: [],
  ms: 0,
  hostStartMs: 0,
});

const urnName = (urn: string) => urn.split("::").slice(3).join("::");
const now = () => new Date().toISOString();
const dynamicOnly = (r: Registration): Registration => {
  if (!r.type.startsWith(DYNAMIC_TYPE))
    throw new Error(`the e2e driver runs dynamic resources only (${r.type})`);
  return r;
};
const errorMessage = (err: unknown) =>
  (err as { details?: string }).details || (err as Error).message || String(err);

export class Stack {
  /** gRPC calls by method (`Check`, `Create`, ...), across all operations. */
  readonly calls: Record<string, number> = {};
  /** Everything the provider hosts printed, across all operations. */
  readonly logs = { stdout: "", stderr: "", program: "" };
  /** The host of the running (or last) operation. */
  host?: ProviderHost;
  /** The stack outputs the program exported in the last `up` (secrets wrapped). */
  outputs: PropertyMap = {};
  private abort = new AbortController();
  private generator: Promise<unknown> = Promise.resolve();

  private readonly live = new Map<string, ResourceState>();
  private pendingDeletes: ResourceState[] = [];
  private pendingOps: PendingOperation[] = [];
  private interrupted = false;
  private readonly providerId = randomUUID();
  private readonly project: string;
  private readonly stackName: string;

  private readonly config: Record<string, string>;
  private readonly secretKeys: Set<string>;

  constructor(private readonly opts: StackOptions) {
    this.project = opts.project.name;
    this.stackName = opts.stack ?? "dev";
    this.config = { ...opts.config };
    this.secretKeys = new Set(opts.secretKeys);
  }

  /** `pulumi config set [--secret] key value`, for the operations that follow. */
  setConfig(key: string, value: string, secret = false): void {
    this.config[key] = value;
    if (secret) this.secretKeys.add(key);
  }

  /** Current resources (copies). */
  resources(): ResourceState[] {
    return structuredClone([...this.live.values()]);
  }

  /** One resource by URN or name. */
  resource(urnOrName: string): ResourceState | undefined {
    const found = [...this.live.values()].find((r) => r.urn === urnOrName || urnName(r.urn) === urnOrName);
    return found && structuredClone(found);
  }

  pendingOperations(): PendingOperation[] {
    return structuredClone(this.pendingOps);
  }

  resetCalls(): void {
    for (const key of Object.keys(this.calls)) delete this.calls[key];
  }

  /** Interrupts the running operation: SIGKILLs the host; in-flight operations stay pending. */
  kill(): void {
    this.interrupted = true;
    this.host?.kill();
    this.abort.abort();
  }

  /** `pulumi up`: runs the program; its registrations are checked, diffed and stepped as they arrive. */
  up(run: RunOptions = {}): Promise<Summary> {
    return this.operation(async (host, s) => {
      if (this.pendingOps.length > 0) {
        s.warnings.push(this.pendingWarning());
        this.pendingOps = this.pendingOps.filter((op) => op.type === "creating");
      }
      const steps: Promise<unknown>[] = [];
      await this.runProgram(
        s,
        run,
        false,
        async (r) => {
          const step = await this.inOrder(async () => this.plan(await this.configured(host, s), s, r));
          // The step ran alongside the next Checks; the program hears back once it is done.
          const done = (step ? step() : Promise.resolve()).then(() => this.answer(s, r));
          steps.push(done.catch(() => undefined));
          return done;
        },
        (r) => this.inOrder(async () => this.readExisting(await this.configured(host, s), s, r)),
      );
      await Promise.all(steps);
      const h = await host;
      if (!h || s.failed.length > 0 || this.interrupted) return;
      const names = new Set(s.registrations.map((r) => r.urn));
      const gone = [...this.live.values()].filter((r) => !names.has(r.urn));
      await Promise.all([
        ...this.pendingDeletes.map((r) => this.delete(h, s, r, "delete-replaced")),
        ...gone.map((r) => this.delete(h, s, r, "delete")),
      ]);
    });
  }

  /** `pulumi preview`: runs the program with `--dry-run`; Check and Diff only, the planned steps returned. */
  preview(run: RunOptions = {}): Promise<Summary> {
    return this.operation(async (host, s) => {
      await this.runProgram(
        s,
        run,
        true,
        (r) => this.inOrder(async () => this.previewOne(await this.configured(host, s), s, r)),
        (r) => this.inOrder(async () => this.readExisting(await this.configured(host, s), s, r)),
      );
      const names = new Set(s.registrations.map((r) => r.urn));
      for (const r of [...this.pendingDeletes, ...this.live.values()].filter((x) => !names.has(x.urn))) {
        s.planned.push({ urn: r.urn, op: "delete", replaces: [], deleteBeforeReplace: false });
      }
    });
  }

  refresh(): Promise<Summary> {
    return this.operation(async (configured, s) => {
      const host = await configured;
      if (!host) return;
      if (this.pendingOps.length > 0) {
        s.warnings.push(`cleared ${this.pendingOps.length} pending operation(s)`);
        this.pendingOps = [];
      }
      await Promise.all([...this.live.values(), ...this.pendingDeletes].map((r) => this.read(host, s, r)));
    });
  }

  destroy(): Promise<Summary> {
    return this.operation(async (configured, s) => {
      const host = await configured;
      if (!host) return;
      await Promise.all([
        ...this.pendingDeletes.map((r) => this.delete(host, s, r, "delete-replaced")),
        ...[...this.live.values()].map((r) => this.delete(host, s, r, "delete")),
      ]);
    });
  }

  /** The state as `pulumi stack export` would show it: secrets as ciphertext, `__provider` kept. */
  stateJson(): string {
    const stackUrn = this.stackUrn();
    const providerUrn = this.providerUrn();
    const provider = `${providerUrn}::${this.providerId}`;
    const entry = (r: ResourceState, extra: Record<string, unknown> = {}) => ({
      urn: r.urn,
      custom: true,
      ...extra,
      id: r.id,
      type: r.type,
      inputs: encryptSecrets(r.inputs),
      outputs: encryptSecrets(r.outputs),
      parent: stackUrn,
      provider,
      ...(r.additionalSecretOutputs.length > 0 ? { additionalSecretOutputs: r.additionalSecretOutputs } : {}),
      ...(r.external ? { external: true } : {}),
      created: r.created,
      modified: r.modified,
    });
    const resources: unknown[] = [
      ...[...this.live.values()].map((r) => entry(r)),
      ...this.pendingDeletes.map((r) => entry(r, { delete: true })),
    ];
    if (resources.length > 0 || this.pendingOps.length > 0) {
      const at = now();
      resources.unshift(
        {
          urn: stackUrn,
          custom: false,
          type: "pulumi:pulumi:Stack",
          outputs: encryptSecrets(this.outputs),
          created: at,
          modified: at,
        },
        {
          urn: providerUrn,
          custom: true,
          id: this.providerId,
          type: PROVIDER_TYPE,
          inputs: {},
          outputs: {},
          parent: stackUrn,
          created: at,
          modified: at,
        },
      );
    }
    const pending_operations = this.pendingOps.map((op) => ({
      resource: {
        urn: op.urn,
        custom: true,
        ...(op.id ? { id: op.id } : {}),
        type: op.resourceType,
        inputs: encryptSecrets(op.inputs),
        parent: stackUrn,
        provider,
      },
      type: op.type,
    }));
    return JSON.stringify(
      {
        version: 3,
        deployment: {
          manifest: { time: now(), magic: "", version: "e2e-driver" },
          secrets_providers: { type: "passphrase", state: { salt: "v1:e2e-driver:not-a-real-salt" } },
          resources,
          ...(pending_operations.length > 0 ? { pending_operations } : {}),
        },
      },
      null,
      2,
    );
  }

  // ---- one operation: fresh host, Handshake, Configure, then the body -------------------------------

  /**
   * One operation: a fresh provider host (Handshake, Configure) started at once, as the engine loads
   * the plugin for the first dynamic resource while the program is still starting. `host` resolves
   * to undefined when the host could not be configured (the failure is in the summary).
   */
  private async operation(
    body: (host: Promise<ProviderHost | undefined>, s: Summary) => Promise<void>,
  ): Promise<Summary> {
    const t0 = performance.now();
    const s = emptySummary();
    this.interrupted = false;
    this.abort = new AbortController();
    this.host = undefined;
    const started = ProviderHost.start(this.opts.project.pwd, {
      project: this.project,
      config: this.config,
      env: this.opts.hostEnv,
      counter: this.calls,
      node: this.opts.node ?? nodeBinary(),
    });
    const host = started
      .then(async (h) => {
        this.host = h;
        s.hostStartMs = h.startMs;
        await this.handshake(h);
        return (await this.configure(h, s)) ? h : undefined;
      })
      .catch((err: Error) => {
        s.failed.push({ urn: this.providerUrn(), op: "configure", message: err.message });
        return undefined;
      });
    try {
      await body(host, s);
    } finally {
      await host;
      const ended = this.host as ProviderHost | undefined;
      await ended?.stop();
      this.logs.stdout += ended?.stdout ?? "";
      this.logs.stderr += ended?.stderr ?? "";
      s.ms = Math.round(performance.now() - t0);
    }
    return s;
  }

  /**
   * Runs the program against a monitor whose custom registrations go to `onRegister`. A program that
   * fails (a registration refused, an exception) is a failure of the stack, as under `pulumi up`.
   */
  /**
   * Runs the program against a monitor whose custom registrations go to `onRegister`. When a step
   * fails, the program is cancelled, as the engine cancels the language host's run: the step's
   * failure is the one reported. A program that fails by itself (an exception, a non-zero exit) or
   * outlives `PROGRAM_TIMEOUT_MS` is a failure of the stack.
   */
  private async runProgram(
    s: Summary,
    run: RunOptions,
    preview: boolean,
    onRegister: (r: Registration) => Promise<Registered>,
    onRead: (r: Registration) => Promise<Registered>,
  ): Promise<void> {
    const cancel = new AbortController();
    // A failed step cancels the program, as the engine cancels the language host's run.
    const failing = (step: Promise<Registered>) =>
      step.catch((err: Error) => {
        cancelled = true;
        setTimeout(() => cancel.abort(), CANCEL_GRACE_MS);
        throw err;
      });
    const onKill = () => cancel.abort();
    this.abort.signal.addEventListener("abort", onKill);
    let cancelled = false;
    const timer = setTimeout(() => cancel.abort(), PROGRAM_TIMEOUT_MS);
    const monitor = await new Monitor({
      project: this.project,
      stack: this.stackName,
      onRegister: (r) => failing(onRegister(dynamicOnly(r))),
      onRead: (r) => failing(onRead(dynamicOnly(r))),
    }).start();
    try {
      s.program = await runProgram({
        project: this.opts.project,
        stack: this.stackName,
        monitor: monitor.address,
        preview,
        config: this.config,
        secretKeys: [...this.secretKeys],
        env: run.env,
        node: this.opts.node ?? nodeBinary(),
        signal: cancel.signal,
      });
    } finally {
      clearTimeout(timer);
      this.abort.signal.removeEventListener("abort", onKill);
      monitor.stop();
    }
    s.registrations = monitor.registrations.filter((r) => r.custom);
    this.logs.program +=
      s.program.stdout +
      s.program.stderr +
      // What `pulumi up` shows: debug messages (which print RPC payloads) only with -v.
      monitor.logs
        .filter((l) => l.severity >= LOG_INFO)
        .map((l) => `${l.message}\n`)
        .join("");
    if (!preview) this.outputs = monitor.stackOutputs;
    if (s.program.code !== 0 && !this.interrupted && !cancelled) {
      const errors = monitor.logs.filter((l) => l.severity >= LOG_ERROR).map((l) => l.message);
      const message = [...errors, s.program.stderr.trim()].filter(Boolean).join("\n");
      const timedOut = cancel.signal.aborted ? `the program did not end within ${PROGRAM_TIMEOUT_MS} ms` : "";
      s.failed.push({
        urn: this.stackUrn(),
        op: "program",
        message: message || timedOut || `exit code ${s.program.code}`,
      });
    }
  }

  /** The configured host, or the configure failure as the registration's error. */
  private async configured(host: Promise<ProviderHost | undefined>, s: Summary): Promise<ProviderHost> {
    const h = await host;
    if (!h) throw new Error(this.failureOf(s, this.providerUrn()));
    return h;
  }

  private providerUrn(): string {
    return `urn:pulumi:${this.stackName}::${this.project}::${PROVIDER_TYPE}::default`;
  }

  /** Runs `fn` after every earlier call has finished: the step generator's one-at-a-time order. */
  private inOrder<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.generator.then(fn);
    this.generator = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private stackUrn(): string {
    return `urn:pulumi:${this.stackName}::${this.project}::pulumi:pulumi:Stack::${this.project}-${this.stackName}`;
  }

  private async handshake(host: ProviderHost): Promise<void> {
    if (!host.pb.ProviderHandshakeRequest) return; // older SDKs: the engine goes straight to Configure
    const req = host.request("ProviderHandshakeRequest", {
      engineAddress: "127.0.0.1:1",
      rootDirectory: this.opts.project.root,
      programDirectory: this.opts.project.pwd,
      configureWithUrn: true,
    });
    await host.call("handshake", req).catch(() => undefined); // UNIMPLEMENTED in the nodejs host
  }

  private async configure(host: ProviderHost, s: Summary): Promise<boolean> {
    const args = Object.fromEntries(
      Object.entries(this.config).map(([k, v]) => [k, this.secretKeys.has(k) ? makeSecret(v) : v]),
    );
    const req = host.request("ConfigureRequest", {
      args: host.toStruct(args),
      acceptsecrets: true,
      acceptresources: true,
      sendsOldInputs: true,
      sendsOldInputsToDelete: true,
      urn: this.providerUrn(),
      name: "default",
      type: PROVIDER_TYPE,
      id: this.providerId,
    });
    return (await this.rpc(host, s, "configure", req, this.providerUrn(), "configure")) !== undefined;
  }

  // ---- per-resource logic -----------------------------------------------------------------------------

  /** Preview of one resource: the step it would take, answered with its checked inputs as outputs. */
  private async previewOne(host: ProviderHost, s: Summary, r: Registration): Promise<Registered> {
    const old = this.live.get(r.urn);
    const seed = randomBytes(32);
    const plan = (op: PlannedStep["op"], diff?: Diffed) =>
      s.planned.push({
        urn: r.urn,
        op,
        replaces: diff?.replaces ?? [],
        deleteBeforeReplace: diff ? this.deleteBeforeReplace(r, diff) : false,
      });
    const checked = await this.check(host, s, r, old?.inputs ?? {}, seed);
    if (!checked) throw new Error(this.failureOf(s, r.urn));
    if (!old) {
      plan("create");
      return { id: "", outputs: checked };
    }
    const diff = await this.diff(host, s, old, checked);
    if (!diff) throw new Error(this.failureOf(s, r.urn));
    if (!diff.changes) {
      plan("same", diff);
      return { id: old.id, outputs: old.outputs };
    }
    if (diff.replaces.length === 0) plan("update", diff);
    else if (await this.check(host, s, r, {}, seed)) plan("replace", diff);
    return { id: diff.replaces.length === 0 ? old.id : "", outputs: checked };
  }

  /** What the monitor answers once a resource's step is done: its id and outputs, or its failure. */
  private answer(s: Summary, r: Registration): Registered {
    const state = this.live.get(r.urn);
    if (!state || s.failed.some((f) => f.urn === r.urn)) throw new Error(this.failureOf(s, r.urn));
    return { id: state.id, outputs: state.outputs };
  }

  private failureOf(s: Summary, urn: string): string {
    const failure = s.failed.find((f) => f.urn === urn);
    return failure ? `${failure.op} of ${urn} failed: ${failure.message}` : `${urn} was not deployed`;
  }

  /**
   * The step generator's part for one resource (Check, then Diff, awaited) and the step it yields
   * for the step executor (Create, Update, a replacement), or nothing when there is nothing to do.
   */
  private async plan(
    host: ProviderHost,
    s: Summary,
    r: Registration,
  ): Promise<(() => Promise<void>) | undefined> {
    const old = this.live.get(r.urn);
    const seed = randomBytes(32);
    const checked = await this.check(host, s, r, old?.inputs ?? {}, seed);
    if (!checked) return undefined;
    if (!old) {
      return async () => {
        if (await this.create(host, s, r, checked, "create")) s.created.push(r.urn);
      };
    }
    const diff = await this.diff(host, s, old, checked);
    if (!diff) return undefined;
    if (!diff.changes) {
      this.live.set(r.urn, { ...old, inputs: checked, additionalSecretOutputs: r.additionalSecretOutputs });
      s.same.push(r.urn);
      return undefined;
    }
    if (diff.replaces.length === 0) {
      return async () => {
        if (await this.update(host, s, r, old, checked)) s.updated.push(r.urn);
      };
    }
    // Replacement: defaults are recomputed with no olds, as the engine does.
    const fresh = await this.check(host, s, r, {}, seed);
    if (!fresh) return undefined;
    return async () => {
      if (this.deleteBeforeReplace(r, diff)) {
        if (!(await this.delete(host, s, old, "delete-replaced"))) return;
        if (await this.create(host, s, r, fresh, "create-replacement")) s.replaced.push(r.urn);
      } else if (await this.create(host, s, r, fresh, "create-replacement")) {
        this.pendingDeletes.push(old); // deleted once every resource is done
        s.replaced.push(r.urn);
      }
    };
  }

  private deleteBeforeReplace(r: Registration, diff: Diffed): boolean {
    return r.deleteBeforeReplace ?? diff.deleteBeforeReplace;
  }

  private async check(
    host: ProviderHost,
    s: Summary,
    r: Registration,
    olds: PropertyMap,
    seed: Uint8Array,
  ): Promise<PropertyMap | undefined> {
    const req = host.request("CheckRequest", {
      urn: r.urn,
      name: r.name,
      type: r.type,
      olds: host.toStruct(unwrapSecrets(olds)),
      news: host.toStruct(unwrapSecrets(r.inputs)),
      randomseed: seed,
    });
    const res = await this.rpc(host, s, "check", req, r.urn, "check");
    if (!res) return undefined;
    const failures = res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
    if (failures.length > 0) {
      const message = failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      s.failed.push({ urn: r.urn, op: "check", message, checkFailures: failures });
      return undefined;
    }
    return annotateSecrets(host.fromStruct(res.getInputs()), r.inputs);
  }

  private async diff(
    host: ProviderHost,
    s: Summary,
    old: ResourceState,
    news: PropertyMap,
  ): Promise<Diffed | undefined> {
    const req = host.request("DiffRequest", {
      id: old.id,
      urn: old.urn,
      name: urnName(old.urn),
      type: old.type,
      olds: host.toStruct(unwrapSecrets(old.outputs)),
      oldInputs: host.toStruct(unwrapSecrets(old.inputs)),
      news: host.toStruct(unwrapSecrets(news)),
    });
    const res = await this.rpc(host, s, "diff", req, old.urn, "diff");
    if (!res) return undefined;
    const { DIFF_NONE, DIFF_SOME } = host.pb.DiffResponse.DiffChanges;
    const changes = res.getChanges();
    return {
      // DIFF_UNKNOWN (a provider without `diff`): the engine compares old and new inputs itself.
      changes:
        changes === DIFF_SOME ||
        (changes !== DIFF_NONE &&
          (containsUnknowns(news) || !deepEqual(unwrapSecrets(old.inputs), unwrapSecrets(news)))),
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
  }

  private async create(
    host: ProviderHost,
    s: Summary,
    r: Registration,
    inputs: PropertyMap,
    kind: "create" | "create-replacement",
  ): Promise<boolean> {
    const req = host.request("CreateRequest", {
      urn: r.urn,
      name: r.name,
      type: r.type,
      properties: host.toStruct(unwrapSecrets(inputs)),
    });
    const pending: PendingOperation = { type: "creating", urn: r.urn, resourceType: r.type, inputs };
    const res = await this.step(s, kind, r.urn, pending, () =>
      this.rpc(host, s, "create", req, r.urn, "create"),
    );
    if (!res) return false;
    if (res.getId() === "") {
      s.failed.push({
        urn: r.urn,
        op: "create",
        message: "provider returned an empty resource ID from create",
      });
      return false;
    }
    const outputs = annotateSecrets(host.fromStruct(res.getProperties()), inputs);
    const at = now();
    this.live.set(r.urn, {
      urn: r.urn,
      type: r.type,
      id: res.getId(),
      inputs,
      outputs: markSecretKeys(outputs, r.additionalSecretOutputs),
      additionalSecretOutputs: r.additionalSecretOutputs,
      created: at,
      modified: at,
    });
    return true;
  }

  private async update(
    host: ProviderHost,
    s: Summary,
    r: Registration,
    old: ResourceState,
    news: PropertyMap,
  ): Promise<boolean> {
    const req = host.request("UpdateRequest", {
      id: old.id,
      urn: r.urn,
      name: r.name,
      type: r.type,
      olds: host.toStruct(unwrapSecrets(old.outputs)),
      oldInputs: host.toStruct(unwrapSecrets(old.inputs)),
      news: host.toStruct(unwrapSecrets(news)),
    });
    const pending: PendingOperation = {
      type: "updating",
      urn: r.urn,
      resourceType: r.type,
      id: old.id,
      inputs: news,
    };
    const res = await this.step(s, "update", r.urn, pending, () =>
      this.rpc(host, s, "update", req, r.urn, "update"),
    );
    if (!res) return false;
    const outputs = annotateSecrets(host.fromStruct(res.getProperties()), news);
    this.live.set(r.urn, {
      ...old,
      inputs: news,
      outputs: markSecretKeys(outputs, r.additionalSecretOutputs),
      additionalSecretOutputs: r.additionalSecretOutputs,
      modified: now(),
    });
    return true;
  }

  private async delete(
    host: ProviderHost,
    s: Summary,
    r: ResourceState,
    kind: "delete" | "delete-replaced",
  ): Promise<boolean> {
    if (r.external) {
      // DeleteStep.Apply: deleting an external resource is a no-op; it only leaves the state.
      this.forget(r);
      s.deleted.push(r.urn);
      return true;
    }
    const req = host.request("DeleteRequest", {
      id: r.id,
      urn: r.urn,
      name: urnName(r.urn),
      type: r.type,
      properties: host.toStruct(unwrapSecrets(r.outputs)),
      oldInputs: host.toStruct(unwrapSecrets(r.inputs)),
    });
    const pending: PendingOperation = {
      type: "deleting",
      urn: r.urn,
      resourceType: r.type,
      id: r.id,
      inputs: r.inputs,
    };
    const res = await this.step(s, kind, r.urn, pending, () =>
      this.rpc(host, s, "delete", req, r.urn, "delete"),
    );
    if (!res) return false;
    this.forget(r);
    if (kind === "delete") s.deleted.push(r.urn);
    return true;
  }

  private async read(host: ProviderHost, s: Summary, r: ResourceState): Promise<void> {
    const req = host.request("ReadRequest", {
      id: r.id,
      urn: r.urn,
      name: urnName(r.urn),
      type: r.type,
      properties: host.toStruct(unwrapSecrets(r.outputs)),
      inputs: host.toStruct(unwrapSecrets(r.inputs)),
    });
    const res = await this.step(s, "read", r.urn, undefined, () =>
      this.rpc(host, s, "read", req, r.urn, "read"),
    );
    if (!res) return;
    if (res.getId() === "") {
      this.forget(r);
      s.dropped.push(r.urn);
      return;
    }
    const outputs = annotateSecrets(host.fromStruct(res.getProperties()), r.outputs);
    const updated: ResourceState = {
      ...r,
      id: res.getId(),
      inputs: res.hasInputs() ? annotateSecrets(host.fromStruct(res.getInputs()), r.inputs) : r.inputs,
      outputs: markSecretKeys(outputs, r.additionalSecretOutputs),
      modified: now(),
    };
    const i = this.pendingDeletes.indexOf(r);
    if (i >= 0) this.pendingDeletes[i] = updated;
    else this.live.set(r.urn, updated);
    s.refreshed.push(r.urn);
  }

  /**
   * A read step (the program's `ReadResource`), as ReadStep.Apply makes it (pkg/resource/deploy/step.go):
   * Read with the program's properties as both inputs and state, no outputs meaning the resource does
   * not exist; outputs annotated like the engine's (secret where the same input was, then
   * `additionalSecretOutputs` by the step executor); kept as an external resource.
   */
  private async readExisting(host: ProviderHost, s: Summary, r: Registration): Promise<Registered> {
    const id = r.readId ?? "";
    const props = host.toStruct(unwrapSecrets(r.inputs));
    const req = host.request("ReadRequest", {
      id,
      urn: r.urn,
      name: r.name,
      type: r.type,
      properties: props,
      inputs: props,
    });
    const res = await this.step(s, "read", r.urn, undefined, () =>
      this.rpc(host, s, "read", req, r.urn, "read"),
    );
    if (res && !res.hasProperties())
      s.failed.push({ urn: r.urn, op: "read", message: `resource '${id}' does not exist` });
    if (!res?.hasProperties()) throw new Error(this.failureOf(s, r.urn));
    const outputs = annotateSecrets(host.fromStruct(res.getProperties()), r.inputs);
    const at = now();
    const state: ResourceState = {
      urn: r.urn,
      type: r.type,
      id: res.getId() || id,
      inputs: r.inputs,
      outputs: markSecretKeys(outputs, r.additionalSecretOutputs),
      additionalSecretOutputs: r.additionalSecretOutputs,
      created: this.live.get(r.urn)?.created ?? at,
      modified: at,
      external: true,
    };
    this.live.set(r.urn, state);
    s.read.push(r.urn);
    return { id: state.id, outputs: state.outputs };
  }

  // ---- plumbing -----------------------------------------------------------------------------------------

  /** Removes a resource (live or pending delete) from state. */
  private forget(r: ResourceState): void {
    const i = this.pendingDeletes.indexOf(r);
    if (i >= 0) this.pendingDeletes.splice(i, 1);
    else if (this.live.get(r.urn) === r) this.live.delete(r.urn);
  }

  /** Records a step; while it runs, `pending` is a pending operation (kept if the run is interrupted). */
  private async step<T>(
    s: Summary,
    kind: StepKind,
    urn: string,
    pending: PendingOperation | undefined,
    run: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    if (pending) this.pendingOps.push(pending);
    const startedAt = performance.now();
    const res = await run();
    if (pending && !(res === undefined && this.interrupted)) {
      this.pendingOps = this.pendingOps.filter((op) => op !== pending);
    }
    s.steps.push({ kind, urn, ok: res !== undefined, startedAt, endedAt: performance.now() });
    return res;
  }

  /** One RPC; a failure (or an interrupted run) is recorded in the summary and yields undefined. */
  private async rpc<M extends RpcMethod>(
    host: ProviderHost,
    s: Summary,
    method: M,
    req: Rpcs[M][0],
    urn: string,
    op: Op,
  ): Promise<Rpcs[M][1] | undefined> {
    if (this.interrupted) {
      s.failed.push({ urn, op, message: "interrupted" });
      return undefined;
    }
    try {
      return await host.call(method, req);
    } catch (err) {
      s.failed.push({
        urn,
        op,
        message: this.interrupted ? `interrupted: ${errorMessage(err)}` : errorMessage(err),
      });
      return undefined;
    }
  }

  private pendingWarning(): string {
    const list = this.pendingOps.map((op) => `  * ${op.urn}, interrupted while ${op.type}`).join("\n");
    return `Attempting to deploy or update resources with ${this.pendingOps.length} pending operations from previous deployment.\n${list}`;
  }
}
