/**
 * The plugin's `Cancel` (issue 24: a Ctrl-C that stops), driven as the engine drives it: the packed
 * package installed into a fresh program folder, its plugin started as the Node language host starts
 * it (driver/plugin-host.ts), the engine's calls over gRPC (driver/provider-calls.ts). The API is a
 * raw server that lists no providers and never answers a write, with a call deadline of 600 s, so
 * that only the cancellation can end the calls held there. No wall-clock bound: the test asserts the
 * order of events (each call fails after Cancel, the server answered none of the held requests and
 * saw them aborted, nothing reached it after Cancel) and logs the time from Cancel to each error.
 */
import type { ServerResponse } from "node:http";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeenRequest, startRawServer } from "../support/raw-server";
import {
  installPackage,
  type LiveResource,
  makeSecret,
  PluginHost,
  type PropertyMap,
  ProviderCalls,
} from "./driver";

/** The API token and the providers' credentials: none may show in an error or on stderr. */
const SECRET = {
  token: "api-Token-Cancel-71d2e9b4",
  password: "pw-Cancel-5b0e3c9a",
  bearer: "bearer-Cancel-2f8a61d7",
};
const BOT = "bot";
const PKG = "whatsapp";
const TYPE = `${PKG}:index:MediaProvider`;
const SCOPE = { project: "media", stack: "dev", pkg: PKG };
/** gRPC status codes the engine tells apart: CANCELLED keeps the resource as it was, UNKNOWN records an unknown outcome. */
const CANCELLED = 1;
const UNKNOWN = 2;
const EMPTY_LIST = '{"settings":{"application":{"media":{"providers":[]}}}}';

/** What happened, in order: at the server, and to the engine's calls. */
const events: string[] = [];
let api: Awaited<ReturnType<typeof startRawServer>>;
let plugin: PluginHost;
let calls: ProviderCalls;

/** The API: lists no providers; holds every write open without answering. */
function answer(req: SeenRequest, res: ServerResponse): void {
  const what = `${req.method} ${new URL(req.url, "http://x").pathname.split("/").pop()}`;
  events.push(`server got ${what}`);
  res.on("close", () => {
    if (!res.writableFinished) events.push(`server saw ${what} aborted`);
  });
  if (req.method !== "GET") return;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(EMPTY_LIST);
}

const providerConfig = () => ({
  botId: BOT,
  baseUrl: api.url,
  apiToken: SECRET.token,
  maxRetries: "0",
  maxConcurrency: "2",
  callTimeoutMs: "600000",
});

beforeAll(async () => {
  api = await startRawServer(answer);
  const programDir = (await installPackage()).dir;
  const installed = path.join(programDir, "node_modules", "pulumi-sinch-whatsapp");
  const config = Object.fromEntries(Object.entries(providerConfig()).map(([k, v]) => [`${PKG}:${k}`, v]));
  plugin = await PluginHost.start({
    pluginDir: path.join(installed, "plugin"),
    programDir,
    project: SCOPE.project,
    pkg: PKG,
    config,
  });
  calls = new ProviderCalls(plugin, SCOPE);
  await calls.handshake();
  await calls.pluginInfo();
  expect((await calls.checkConfig(providerConfig())).failures).toEqual([]);
  await calls.configure(providerConfig(), ["apiToken"]);
});
afterAll(async () => {
  await plugin?.stop();
  await api?.close();
});

/** The engine's Check of a new resource; fails the test on check failures. */
async function checked(name: string, args: PropertyMap): Promise<PropertyMap> {
  const { inputs, failures } = await calls.check(TYPE, name, args);
  expect(failures).toEqual([]);
  return inputs;
}

/** A resource in the state, as its create left it. */
const stored = (name: string): LiveResource => {
  const outputs = {
    botId: BOT,
    name,
    type: "www",
    config: makeSecret({ bearer: SECRET.bearer }),
    authType: "bearer",
  };
  return { type: TYPE, name, id: `${BOT}/${name}`, inputs: outputs, outputs, seed: ProviderCalls.seed() };
};

interface Ended {
  code: number;
  details: string;
  /** ms from the Cancel request to this error. */
  afterCancelMs: number;
}

let cancelSentAt = Number.NaN;

/** A call's failure, recorded in `events` when it comes; a call that succeeds fails the test. */
function failure(label: string, call: Promise<unknown>): Promise<Ended> {
  return call.then(
    () => {
      events.push(`${label} answered`);
      throw new Error(`${label} answered, but it should have been cancelled`);
    },
    (error: { code?: number; details?: string }) => {
      events.push(`${label} failed`);
      return {
        code: error.code ?? -1,
        details: error.details ?? String(error),
        afterCancelMs: Math.round(performance.now() - cancelSentAt),
      };
    },
  );
}

const sawAt = (event: string) => expect.poll(() => events).toContain(event);
const requests = () => events.filter((e) => e.startsWith("server got")).length;

describe("Cancel, as on Ctrl-C", () => {
  it("ends a create and a delete whose writes the API holds (UNKNOWN) and a create waiting for a connection (CANCELLED); nothing is sent after", async () => {
    const heldCreate = failure(
      "create held_create",
      calls.create(
        TYPE,
        "a",
        await checked("a", {
          name: "held_create",
          config: makeSecret({ basic: { username: "svc", password: SECRET.password } }),
        }),
      ),
    );
    await sawAt("server got POST provider");
    const heldDelete = failure("delete held_delete", calls.delete(stored("held_delete")));
    await sawAt("server got DELETE held_delete");
    // Both connections (whatsapp:maxConcurrency 2) are held: this one cannot send anything.
    const queued = failure(
      "create queued",
      calls.create(
        TYPE,
        "c",
        await checked("c", { name: "queued", config: makeSecret({ bearer: SECRET.bearer }) }),
      ),
    );
    const sentBeforeCancel = requests();

    events.push("cancel sent");
    cancelSentAt = performance.now();
    await calls.cancel();
    events.push("cancel answered");
    const [create, del, waiting] = await Promise.all([heldCreate, heldDelete, queued]);
    console.log(
      `[e2e] from Cancel to the errors: create held ${create.afterCancelMs} ms, delete held ${del.afterCancelMs} ms, create queued ${waiting.afterCancelMs} ms`,
    );

    // Each call failed after Cancel, none was answered, and the server answered neither write.
    for (const label of ["create held_create", "delete held_delete", "create queued"]) {
      expect(events.indexOf(`${label} failed`)).toBeGreaterThan(events.indexOf("cancel sent"));
    }
    expect(events.filter((e) => e.endsWith("answered") && e !== "cancel answered")).toEqual([]);
    await sawAt("server saw POST provider aborted");
    await sawAt("server saw DELETE held_delete aborted");

    expect(create.code).toBe(UNKNOWN);
    expect(create.details).toMatch(
      /^ERR_WHATSAPP_CANCELLED: POST http:\/\/127\.0\.0\.1:\d+\/\S+ was cancelled/,
    );
    expect(create.details).toContain("had been sent and was waiting for the response headers");
    expect(create.details).toContain("The API may have applied it");
    expect(del.code).toBe(UNKNOWN);
    expect(del.details).toMatch(/^ERR_WHATSAPP_CANCELLED: DELETE \S+\/held_delete was cancelled/);
    expect(waiting.code).toBe(CANCELLED);
    expect(waiting.details).toMatch(/^ERR_WHATSAPP_CANCELLED: (GET|POST) \S+ was cancelled/);
    expect(waiting.details).toContain("had not been sent");
    expect(waiting.details).toContain("Nothing was written to the API.");
    console.log(`[e2e] the queued create: ${waiting.details}`);
    expect(requests()).toBe(sentBeforeCancel);

    // After Cancel: a Check (which sends nothing) still answers; a create, a delete and the
    // function (Invoke) fail at once, unsent.
    const late = await checked("d", { name: "late", config: makeSecret({ bearer: SECRET.bearer }) });
    const lateCreate = await failure("create late", calls.create(TYPE, "d", late));
    const lateDelete = await failure("delete late", calls.delete(stored("late_delete")));
    const lateInvoke = await failure("invoke late", calls.invoke(`${PKG}:index:getMediaProviders`, {}));
    for (const ended of [lateCreate, lateDelete, lateInvoke]) {
      expect(ended.code).toBe(CANCELLED);
      expect(ended.details).toContain(
        "had not been sent: the provider had been told to stop before it started",
      );
    }
    expect(requests()).toBe(sentBeforeCancel);

    const errors = plugin.exchanges.flatMap((e) =>
      e.error && e.method !== "handshake" ? [e.error.details] : [],
    );
    expect(errors).toHaveLength(6);
    for (const secret of Object.values(SECRET)) {
      for (const text of [...errors, plugin.stderr]) expect(text).not.toContain(secret);
    }
  });
});
