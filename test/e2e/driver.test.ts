/**
 * Proves the e2e engine driver (test/e2e/driver) against a tiny fixture package,
 * test/e2e/fixtures/counter-provider, so it does not depend on src/ building. Each program is a small
 * JS file in the installed fixture folder, run through the SDK's program runner as `pulumi up` runs it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type InstalledProgram,
  installFixture,
  type Project,
  type RunOptions,
  SECRET_SIG,
  SIG_KEY,
  Stack,
  type Summary,
  secretPaths,
  UNKNOWN,
} from "./driver";

// Declares the counters listed in env COUNTERS, so one program file serves every run. A counter's
// `startFrom` names a counter declared before it whose `value` output becomes its `start`; env FAIL
// makes the program throw once every counter is declared. It throws a RunError: the runner logs a
// plain Error with util.inspect(err, { colors: true }), which on Node 20.20.2 never returns when a
// stack line reads `node_modules/@scope/file` (the SDK's source-mapped frames `@pulumi/resource.ts`).
const COUNTERS = `
const pulumi = require("@pulumi/pulumi");
const { Counter } = require("counter-provider");
const config = new pulumi.Config();
const declared = {};
for (const { resourceName, secretNote, dbr, startFrom, ...args } of JSON.parse(process.env.COUNTERS)) {
  const inputs = { ...args, label: config.get("greeting"), auth: { user: "u", password: new pulumi.Config("counter").requireSecret("token") } };
  if (secretNote !== undefined) inputs.note = pulumi.secret(secretNote);
  if (startFrom !== undefined) inputs.start = declared[startFrom].value;
  declared[resourceName] = new Counter(resourceName, inputs, dbr ? { deleteBeforeReplace: true } : {});
}
if (process.env.FAIL) throw new pulumi.RunError(process.env.FAIL);
`;

// One counter, and stack outputs: a plain value, an output of the counter, and a secret.
const OUTPUTS = `
const pulumi = require("@pulumi/pulumi");
const { Counter } = require("counter-provider");
const counter = new Counter("o", { name: "out", start: 7 });
exports.greeting = new pulumi.Config().get("greeting");
exports.value = counter.value;
exports.note = pulumi.secret(process.env.NOTE);
`;

const TOKEN = "s3cr3t-token-value";
const NOTE = "hush-hush-note";

interface CounterSpec {
  resourceName: string;
  name: string;
  start?: unknown;
  startFrom?: string;
  secretNote?: string;
  delayMs?: number;
  dbr?: boolean;
}

interface BackendLog {
  tick: number;
  op: string;
  id?: string;
  name?: string;
  token?: string;
  greeting?: string;
}

let program: InstalledProgram;
let seq = 0;

beforeAll(async () => {
  program = await installFixture("counter-provider");
  for (const [file, source] of Object.entries(PROGRAMS)) writeFileSync(path.join(program.dir, file), source);
  console.log(`[e2e] fixture install: ${JSON.stringify(program.timings)} (${program.mode})`);
});

const PROGRAMS = {
  "driver-counters.js": COUNTERS,
  "driver-outputs.js": OUTPUTS,
};
type ProgramFile = keyof typeof PROGRAMS;

/** Project "demo" whose program is `file` in the fixture folder. */
const projectOf = (file: ProgramFile): Project => ({
  name: "demo",
  root: program.dir,
  pwd: program.dir,
  entry: file,
});

/** A stack of `file` with its own fake backend file. */
function newStack(file: ProgramFile = "driver-counters.js") {
  seq += 1;
  const backend = path.join(program.dir, `backend-${process.pid}-${seq}.json`);
  const stack = new Stack({
    project: projectOf(file),
    stack: "dev",
    config: { "counter:stateFile": backend, "counter:token": TOKEN, "demo:greeting": "hello" },
    secretKeys: ["counter:token"],
  });
  const run = (counters: CounterSpec[]): RunOptions => ({ env: { COUNTERS: JSON.stringify(counters) } });
  const log = (): BackendLog[] => JSON.parse(readFileSync(backend, "utf8")).log;
  const items = (): Record<string, { name: string; value: number }> =>
    JSON.parse(readFileSync(backend, "utf8")).items;
  return { stack, run, log, items, backend };
}

const urn = (name: string) => `urn:pulumi:dev::demo::pulumi-nodejs:dynamic/counter:Counter::${name}`;
const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const ok = (s: Summary) => expect(s.failed, JSON.stringify(s.failed)).toEqual([]);

describe("registrations", () => {
  it("record the provider string, secret paths and options as the engine receives them", async () => {
    const { stack, run } = newStack();
    const s = await stack.preview(
      run([
        { resourceName: "a", name: "alpha", start: 1, secretNote: NOTE },
        { resourceName: "d", name: "delta", start: 2, dbr: true },
      ]),
    );
    ok(s);
    // The program declares both at once: they may reach the monitor in either order.
    const [a, d] = ["a", "d"].map((name) => s.registrations.find((r) => r.name === name));
    console.log(`[e2e] __provider is ${a?.provider?.length} chars`);
    expect(a?.provider).toMatch(/require\("counter-provider\/provider"\)/);
    expect(a?.provider?.length).toBeLessThan(1_000);
    expect(a).toMatchObject({
      type: "pulumi-nodejs:dynamic/counter:Counter",
      name: "a",
      urn: urn("a"),
      custom: true,
      additionalSecretOutputs: ["token"],
      deleteBeforeReplace: undefined,
    });
    expect(secretPaths(a?.inputs).sort()).toEqual(["auth.password", "note"]);
    expect(a?.inputs.note).toEqual(secret(NOTE));
    expect(a?.inputs).toMatchObject({ name: "alpha", start: 1, label: "hello", __provider: a?.provider });
    expect(d).toMatchObject({ name: "d", urn: urn("d"), deleteBeforeReplace: true });
    expect(stack.resources()).toEqual([]);
  });
});

describe("Stack", () => {
  it("runs create, no-op, update, replace, delete, refresh and destroy like the engine", async () => {
    const { stack, run, log, items, backend } = newStack();
    const spec: CounterSpec[] = [
      { resourceName: "a", name: "alpha", start: 1, secretNote: NOTE, delayMs: 300 },
      { resourceName: "b", name: "beta", start: 10, delayMs: 300 },
    ];

    // create: Configure reaches the provider with the secret unwrapped, creates run in parallel.
    let s = await stack.up(run(spec));
    ok(s);
    expect(s.created.sort()).toEqual([urn("a"), urn("b")]);
    expect(stack.calls).toMatchObject({ Configure: 1, Check: 2, Create: 2 });
    const configure = log().find((e) => e.op === "configure");
    expect(configure).toMatchObject({ token: TOKEN, greeting: "hello" });
    const [c1, c2] = s.steps.filter((x) => x.kind === "create");
    expect(c1 && c2 && c1.startedAt < c2.endedAt && c2.startedAt < c1.endedAt).toBe(true);
    console.log(
      `[e2e] host start ${s.hostStartMs} ms; create (300 ms sleep) ${Math.round((c1?.endedAt ?? 0) - (c1?.startedAt ?? 0))} ms; up ${s.ms} ms`,
    );

    // secretness: inputs as registered, outputs from inputs + additionalSecretOutputs; state encrypted.
    const a = stack.resource("a");
    expect(a?.outputs.note).toEqual(secret(NOTE));
    expect(a?.outputs.token).toEqual(secret(`tok:${TOKEN}`));
    expect(a?.inputs.auth).toEqual({ user: "u", password: secret(TOKEN) });
    const state = stack.stateJson();
    expect(state).not.toContain(TOKEN);
    expect(state).not.toContain(NOTE);
    const exported = JSON.parse(state).deployment.resources.find((r: { urn: string }) => r.urn === urn("a"));
    expect(exported.outputs.note).toEqual({ [SIG_KEY]: SECRET_SIG, ciphertext: expect.any(String) });
    expect(exported.inputs.__provider).toMatch(/counter-provider\/provider/);
    expect(exported.outputs.__provider).toBe(exported.inputs.__provider);

    // no change (same program, so the same registrations): Check + Diff only.
    stack.resetCalls();
    s = await stack.up(run(spec));
    ok(s);
    expect(s.same.sort()).toEqual([urn("a"), urn("b")]);
    expect(stack.calls).toEqual({ Handshake: 1, Configure: 1, Check: 2, Diff: 2 });

    // update in place.
    spec[0] = { ...spec[0], start: 2 } as CounterSpec;
    stack.resetCalls();
    s = await stack.up(run(spec));
    ok(s);
    expect(s.updated).toEqual([urn("a")]);
    expect(stack.calls.Update).toBe(1);
    expect(stack.calls.Create).toBeUndefined();
    expect(stack.resource("a")?.outputs.value).toBe(2);
    expect(stack.resource("a")?.outputs.token).toEqual(secret(`tok:${TOKEN}`));

    // replace (name change): the replacement is created before the old one is deleted.
    const oldB = stack.resource("b")?.id;
    spec[1] = { ...spec[1], name: "beta2" } as CounterSpec;
    s = await stack.up(run(spec));
    ok(s);
    expect(s.replaced).toEqual([urn("b")]);
    const newB = stack.resource("b")?.id;
    expect(newB).not.toBe(oldB);
    const tick = (op: string, id?: string) => log().find((e) => e.op === op && e.id === id)?.tick ?? -1;
    expect(tick("create", newB)).toBeGreaterThan(0);
    expect(tick("create", newB)).toBeLessThan(tick("delete", oldB));
    expect(Object.keys(items()).sort()).toEqual([stack.resource("a")?.id, newB].sort());

    // a resource no longer declared is deleted.
    s = await stack.up(run(spec.slice(0, 1)));
    ok(s);
    expect(s.deleted).toEqual([urn("b")]);
    expect(stack.resources().map((r) => r.urn)).toEqual([urn("a")]);

    // refresh: a resource gone behind Pulumi's back (read returns an empty id) is dropped.
    s = await stack.up(run(spec));
    ok(s);
    const bId = stack.resource("b")?.id as string;
    const db = JSON.parse(readFileSync(backend, "utf8"));
    delete db.items[bId];
    writeFileSync(backend, JSON.stringify(db));
    s = await stack.refresh();
    ok(s);
    expect(s.dropped).toEqual([urn("b")]);
    expect(s.refreshed).toEqual([urn("a")]);
    expect(stack.resource("a")?.outputs.note).toEqual(secret(NOTE));

    // destroy.
    s = await stack.destroy();
    ok(s);
    expect(s.deleted).toEqual([urn("a")]);
    expect(stack.resources()).toEqual([]);
    expect(items()).toEqual({});
    expect(JSON.parse(stack.stateJson()).deployment.resources).toEqual([]);
  });

  it("deletes before creating when the resource asks for deleteBeforeReplace", async () => {
    const { stack, run, log } = newStack();
    ok(await stack.up(run([{ resourceName: "d", name: "one", start: 1, dbr: true }])));
    const oldId = stack.resource("d")?.id;
    const s = await stack.up(run([{ resourceName: "d", name: "two", start: 1, dbr: true }]));
    ok(s);
    const newId = stack.resource("d")?.id;
    const ticks = log();
    const del = ticks.find((e) => e.op === "delete" && e.id === oldId)?.tick ?? Infinity;
    const cre = ticks.find((e) => e.op === "create" && e.id === newId)?.tick ?? -1;
    expect(del).toBeLessThan(cre);
    expect(s.steps.map((x) => x.kind)).toEqual(["delete-replaced", "create-replacement"]);
  });

  it("stops a resource whose Check fails, and carries on with the others", async () => {
    const { stack, run } = newStack();
    const s = await stack.up(
      run([
        { resourceName: "good", name: "g", start: 1 },
        { resourceName: "bad", name: "b", start: "not a number" },
      ]),
    );
    expect(s.created).toEqual([urn("good")]);
    expect(s.failed[0]).toEqual({
      urn: urn("bad"),
      op: "check",
      message: "start: start must be a number",
      checkFailures: [{ property: "start", reason: "start must be a number" }],
    });
    // The program is cancelled after the failed step, as the engine cancels it: the step's failure
    // is the only one reported.
    expect(s.failed).toHaveLength(1);
    expect(stack.calls.Create).toBe(1);
    expect(stack.resource("good")).toBeDefined();
    expect(stack.resource("bad")).toBeUndefined();
  });

  it("previews with unknown inputs without creating, updating or deleting", async () => {
    const { stack, run } = newStack();
    ok(await stack.up(run([{ resourceName: "p", name: "p", start: 1 }])));
    stack.resetCalls();
    // p's start becomes the output of q, which does not exist yet: unknown in a preview.
    const s = await stack.preview(
      run([
        { resourceName: "q", name: "q", start: 5 },
        { resourceName: "p", name: "p", startFrom: "q" },
      ]),
    );
    ok(s);
    expect(s.registrations.find((r) => r.name === "p")?.inputs.start).toBe(UNKNOWN);
    expect(s.planned.sort((x, y) => x.urn.localeCompare(y.urn))).toEqual([
      { urn: urn("p"), op: "update", replaces: [], deleteBeforeReplace: false },
      { urn: urn("q"), op: "create", replaces: [], deleteBeforeReplace: false },
    ]);
    expect(stack.calls).toEqual({ Handshake: 1, Configure: 1, Check: 2, Diff: 1 });
    expect(stack.resource("p")?.inputs.start).toBe(1);
    expect(stack.resource("q")).toBeUndefined();
  });

  it("feeds one resource's output into another's input: the value in up, unknown in a fresh preview", async () => {
    const { stack, run } = newStack();
    const spec: CounterSpec[] = [
      { resourceName: "src", name: "src", start: 42 },
      { resourceName: "dst", name: "dst", startFrom: "src" },
    ];
    const preview = await stack.preview(run(spec));
    ok(preview);
    const start = (s: Summary, name: string) => s.registrations.find((r) => r.name === name)?.inputs.start;
    expect([start(preview, "src"), start(preview, "dst")]).toEqual([42, UNKNOWN]);
    expect(preview.planned.map((p) => p.op)).toEqual(["create", "create"]);

    const up = await stack.up(run(spec));
    ok(up);
    expect([start(up, "src"), start(up, "dst")]).toEqual([42, 42]);
    expect(stack.resource("dst")?.outputs.value).toBe(42);
    // dst waited for src: its Create starts after src's ended.
    const [src, dst] = ["src", "dst"].map((n) => up.steps.find((x) => x.urn === urn(n)));
    expect((dst?.startedAt ?? 0) >= (src?.endedAt ?? Infinity)).toBe(true);
    ok(await stack.destroy());
  });

  it("records the stack outputs of an up, secret outputs wrapped", async () => {
    const { stack } = newStack("driver-outputs.js");
    ok(await stack.up({ env: { NOTE } }));
    expect(stack.outputs).toEqual({ greeting: "hello", value: 7, note: secret(NOTE) });
    expect(stack.stateJson()).not.toContain(NOTE);
    ok(await stack.destroy());
  });

  it("fails the update with op program when the program throws, and deletes nothing", async () => {
    const { stack, run, items } = newStack();
    ok(
      await stack.up(
        run([
          { resourceName: "a", name: "alpha", start: 1 },
          { resourceName: "b", name: "beta", start: 2 },
        ]),
      ),
    );
    // b is no longer declared, but the program throws after declaring a: b must stay.
    const failing = run([{ resourceName: "a", name: "alpha", start: 1 }]);
    const s = await stack.up({ env: { ...failing.env, FAIL: "the program failed on purpose" } });
    expect(s.failed).toEqual([
      {
        urn: "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev",
        op: "program",
        message: expect.stringContaining("the program failed on purpose"),
      },
    ]);
    expect(s.deleted).toEqual([]);
    expect(stack.calls.Delete).toBeUndefined();
    expect(stack.resources().map((r) => r.urn)).toEqual([urn("a"), urn("b")]);
    expect(Object.keys(items())).toHaveLength(2);
    ok(await stack.destroy());
  });

  it("can be killed mid-run, leaving the in-flight create as a pending operation", async () => {
    const { stack, run, log } = newStack();
    const running = stack.up(run([{ resourceName: "slow", name: "slow", start: 1, delayMs: 10_000 }]));
    for (let i = 0; i < 500 && !readLog(log).some((e) => e.op === "create-start"); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    stack.kill();
    const s = await running;
    expect(await stack.host?.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(s.failed).toEqual([
      { urn: urn("slow"), op: "create", message: expect.stringMatching(/^interrupted/) },
    ]);
    expect(log().some((e) => e.op === "create")).toBe(false);
    expect(stack.resources()).toEqual([]);
    expect(stack.pendingOperations()).toMatchObject([{ type: "creating", urn: urn("slow") }]);
    expect(JSON.parse(stack.stateJson()).deployment.pending_operations).toMatchObject([
      { type: "creating", resource: { urn: urn("slow") } },
    ]);

    // The next run warns about it, as `pulumi up` does.
    const again = await stack.up(run([{ resourceName: "slow", name: "slow", start: 1 }]));
    ok(again);
    expect(again.warnings[0]).toMatch(/1 pending operations.*\n.*slow, interrupted while creating/);
    ok(await stack.destroy());
  });
});

function readLog(log: () => BackendLog[]): BackendLog[] {
  try {
    return log();
  } catch {
    return []; // not written yet
  }
}
