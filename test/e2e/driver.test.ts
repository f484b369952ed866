/**
 * Proves the e2e engine driver (test/e2e/driver) against a tiny fixture package,
 * test/e2e/fixtures/counter-provider, so it does not depend on src/ building.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type CaptureOptions,
  capture,
  type InstalledProgram,
  installFixture,
  type RegisteredResource,
  SECRET_SIG,
  SIG_KEY,
  Stack,
  type Summary,
  UNKNOWN,
  writeProgram,
} from "./driver";

// The program declares the counters listed in env COUNTERS, so one program file serves every run.
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { Counter } = require("counter-provider");
const config = new pulumi.Config();
for (const { resourceName, secretNote, dbr, ...args } of JSON.parse(process.env.COUNTERS)) {
  const inputs = { ...args, label: config.get("greeting"), auth: { user: "u", password: new pulumi.Config("counter").requireSecret("token") } };
  if (secretNote !== undefined) inputs.note = pulumi.secret(secretNote);
  new Counter(resourceName, inputs, dbr ? { deleteBeforeReplace: true } : {});
}
`;
const TOKEN = "s3cr3t-token-value";
const NOTE = "hush-hush-note";

interface CounterSpec {
  resourceName: string;
  name: string;
  start: unknown;
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
let programFile: string;
let seq = 0;

beforeAll(async () => {
  program = await installFixture("counter-provider");
  programFile = writeProgram(program.dir, "counters.js", PROGRAM);
  console.log(`[e2e] fixture install: ${JSON.stringify(program.timings)} (${program.mode})`);
});

/** A stack with its own fake backend file. */
function newStack() {
  seq += 1;
  const backend = path.join(program.dir, `backend-${process.pid}-${seq}.json`);
  const settings = {
    project: "demo",
    stack: "dev",
    config: { "counter:stateFile": backend, "counter:token": TOKEN, "demo:greeting": "hello" },
    secretKeys: ["counter:token"],
  };
  const stack = new Stack({ dir: program.dir, ...settings });
  const run = async (counters: CounterSpec[], opts: CaptureOptions = {}) =>
    (
      await capture(program.dir, programFile, {
        ...settings,
        ...opts,
        env: { COUNTERS: JSON.stringify(counters) },
      })
    ).resources;
  const log = (): BackendLog[] => JSON.parse(readFileSync(backend, "utf8")).log;
  const items = (): Record<string, { name: string; value: number }> =>
    JSON.parse(readFileSync(backend, "utf8")).items;
  return { stack, run, log, items, backend };
}

const urn = (name: string) => `urn:pulumi:dev::demo::pulumi-nodejs:dynamic/counter:Counter::${name}`;
const ok = (s: Summary) => expect(s.failed, JSON.stringify(s.failed)).toEqual([]);

describe("capture", () => {
  it("records the provider string, secret paths and options as the engine receives them", async () => {
    const { run } = newStack();
    const [a] = (await run([{ resourceName: "a", name: "alpha", start: 1, secretNote: NOTE }])) as [
      RegisteredResource,
    ];
    console.log(`[e2e] __provider is ${a.provider?.length} chars`);
    expect(a.provider).toMatch(/require\("counter-provider\/provider"\)/);
    expect(a.provider?.length).toBeLessThan(1_000);
    expect(a).toMatchObject({
      type: "pulumi-nodejs:dynamic/counter:Counter",
      name: "a",
      urn: urn("a"),
      custom: true,
      additionalSecretOutputs: ["token"],
    });
    expect(a.secretPaths.sort()).toEqual(["auth.password", "note"]);
    expect(a.inputs.note).toEqual({ [SIG_KEY]: SECRET_SIG, value: NOTE });
    expect(a.inputs).toMatchObject({ name: "alpha", start: 1, label: "hello", __provider: a.provider });
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
    const first = await run(spec);
    let s = await stack.up(first);
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
    expect(a?.outputs.note).toEqual({ [SIG_KEY]: SECRET_SIG, value: NOTE });
    expect(a?.outputs.token).toEqual({ [SIG_KEY]: SECRET_SIG, value: `tok:${TOKEN}` });
    expect(a?.inputs.auth).toEqual({ user: "u", password: { [SIG_KEY]: SECRET_SIG, value: TOKEN } });
    const state = stack.stateJson();
    expect(state).not.toContain(TOKEN);
    expect(state).not.toContain(NOTE);
    const exported = JSON.parse(state).deployment.resources.find((r: { urn: string }) => r.urn === urn("a"));
    expect(exported.outputs.note).toEqual({ [SIG_KEY]: SECRET_SIG, ciphertext: expect.any(String) });
    expect(exported.inputs.__provider).toMatch(/counter-provider\/provider/);
    expect(exported.outputs.__provider).toBe(exported.inputs.__provider);

    // no change (same program, so the same registrations): Check + Diff only.
    stack.resetCalls();
    s = await stack.up(first);
    ok(s);
    expect(s.same.sort()).toEqual([urn("a"), urn("b")]);
    expect(stack.calls).toEqual({ Handshake: 1, Configure: 1, Check: 2, Diff: 2 });

    // update in place.
    spec[0] = { ...spec[0], start: 2 } as CounterSpec;
    stack.resetCalls();
    s = await stack.up(await run(spec));
    ok(s);
    expect(s.updated).toEqual([urn("a")]);
    expect(stack.calls.Update).toBe(1);
    expect(stack.calls.Create).toBeUndefined();
    expect(stack.resource("a")?.outputs.value).toBe(2);
    expect(stack.resource("a")?.outputs.token).toEqual({ [SIG_KEY]: SECRET_SIG, value: `tok:${TOKEN}` });

    // replace (name change): the replacement is created before the old one is deleted.
    const oldB = stack.resource("b")?.id;
    spec[1] = { ...spec[1], name: "beta2" } as CounterSpec;
    const replaced = await run(spec);
    s = await stack.up(replaced);
    ok(s);
    expect(s.replaced).toEqual([urn("b")]);
    const newB = stack.resource("b")?.id;
    expect(newB).not.toBe(oldB);
    const tick = (op: string, id?: string) => log().find((e) => e.op === op && e.id === id)?.tick ?? -1;
    expect(tick("create", newB)).toBeGreaterThan(0);
    expect(tick("create", newB)).toBeLessThan(tick("delete", oldB));
    expect(Object.keys(items()).sort()).toEqual([stack.resource("a")?.id, newB].sort());

    // a resource no longer declared is deleted.
    s = await stack.up(await run(spec.slice(0, 1)));
    ok(s);
    expect(s.deleted).toEqual([urn("b")]);
    expect(stack.resources().map((r) => r.urn)).toEqual([urn("a")]);

    // refresh: a resource gone behind Pulumi's back (read returns an empty id) is dropped.
    s = await stack.up(replaced);
    ok(s);
    const bId = stack.resource("b")?.id as string;
    const db = JSON.parse(readFileSync(backend, "utf8"));
    delete db.items[bId];
    writeFileSync(backend, JSON.stringify(db));
    s = await stack.refresh();
    ok(s);
    expect(s.dropped).toEqual([urn("b")]);
    expect(s.refreshed).toEqual([urn("a")]);
    expect(stack.resource("a")?.outputs.note).toEqual({ [SIG_KEY]: SECRET_SIG, value: NOTE });

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
    ok(await stack.up(await run([{ resourceName: "d", name: "one", start: 1, dbr: true }])));
    const oldId = stack.resource("d")?.id;
    const s = await stack.up(await run([{ resourceName: "d", name: "two", start: 1, dbr: true }]));
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
      await run([
        { resourceName: "good", name: "g", start: 1 },
        { resourceName: "bad", name: "b", start: "not a number" },
      ]),
    );
    expect(s.created).toEqual([urn("good")]);
    expect(s.failed).toEqual([
      {
        urn: urn("bad"),
        op: "check",
        message: "start: start must be a number",
        checkFailures: [{ property: "start", reason: "start must be a number" }],
      },
    ]);
    expect(stack.calls.Create).toBe(1);
    expect(stack.resource("bad")).toBeUndefined();
  });

  it("previews with unknown inputs without creating, updating or deleting", async () => {
    const { stack, run } = newStack();
    ok(await stack.up(await run([{ resourceName: "p", name: "p", start: 1 }])));
    const planned = await run(
      [
        { resourceName: "p", name: "p", start: 1 },
        { resourceName: "q", name: "q", start: 5 },
      ],
      { preview: true },
    );
    const p = planned.find((r) => r.name === "p") as RegisteredResource;
    p.inputs.start = UNKNOWN; // e.g. an output of a resource that is not created yet
    stack.resetCalls();
    const s = await stack.preview(planned);
    ok(s);
    expect(s.planned.sort((x, y) => x.urn.localeCompare(y.urn))).toEqual([
      { urn: urn("p"), op: "update", replaces: [], deleteBeforeReplace: false },
      { urn: urn("q"), op: "create", replaces: [], deleteBeforeReplace: false },
    ]);
    expect(stack.calls).toEqual({ Handshake: 1, Configure: 1, Check: 2, Diff: 1 });
    expect(stack.resource("p")?.inputs.start).toBe(1);
  });

  it("can be killed mid-run, leaving the in-flight create as a pending operation", async () => {
    const { stack, run, log } = newStack();
    const resources = await run([{ resourceName: "slow", name: "slow", start: 1, delayMs: 10_000 }]);
    const running = stack.up(resources);
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
    const again = await stack.up(await run([{ resourceName: "slow", name: "slow", start: 1 }]));
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
