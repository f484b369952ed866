/**
 * The lifecycle every program we hand users goes through in the e2e tests, run the way `pulumi up`
 * runs it (the SDK's program runner started as the language host starts it, ts-node type-checking
 * the program folder's TypeScript) against an emulator: up (creates), up again (no write), a changed
 * config value (one update), a resource removed from the program (one delete) and destroy (nothing
 * left), with the requests counted and every output (state, the program's and the provider's logs,
 * the answers) scanned for any form of a secret.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator";
import { type StorageServer, startStorageServer } from "../../src/emulator/storage-server";
import { leaksIn } from "../support/secret-leaks";
import { type Project, plainStrings, Stack, type StackConfig, type Summary } from "./driver";

export const TOKEN = "program-Api-Token-5f0e";
export const STORAGE = { username: "svc-media", password: "bucket-Pw-0c7d1e" };
export const PROBE_FILE = { contentType: "image/png", body: "png" };

/** A program and the stack config it runs with. */
export interface ProgramCase {
  project: Project;
  stack: string;
  bot: string;
  settings: StackConfig;
  /** How many providers the program declares, and how many `up` must write (adoption writes none). */
  providers: number;
  creates: number;
  /** A config change that updates exactly one provider. */
  update: [key: string, value: string];
  /** The program file and an edit that removes one provider from it. */
  file: string;
  remove: (source: string) => string;
}

/** The emulator (bot `bot`, token {@link TOKEN}) and a storage server holding `/probe.png`. */
export interface Servers {
  emulator: Emulator;
  storage: StorageServer;
}

/** Starts the servers before the file's tests and closes them after; read them inside tests. */
export function useServers(): Servers {
  const servers = {} as Servers;
  beforeAll(async () => {
    servers.storage = await startStorageServer({ basic: STORAGE, files: { "/probe.png": PROBE_FILE } });
    servers.emulator = await startEmulator({ bots: { bot: TOKEN } });
  });
  afterAll(async () => {
    await servers.emulator?.close();
    await servers.storage?.close();
  });
  return servers;
}

/** Removes the `cdn` provider from examples/basic's program (and the README's, which is the same). */
export const removeCdn = (source: string) =>
  source.replace(/\nconst cdn = new MediaProvider\([\s\S]*?\n\}\);\n/, "\n").replace(/, cdn: cdn\.name/, "");

/** The basic program's settings: the bot on the emulator, the bucket verified against the storage. */
export function basicSettings(servers: Servers, projectName: string): StackConfig {
  const ns = (key: string) => `${projectName}:${key}`;
  return {
    config: {
      "whatsapp:botId": "bot",
      "whatsapp:baseUrl": servers.emulator.url,
      "whatsapp:apiToken": TOKEN,
      [ns("bucketUser")]: STORAGE.username,
      [ns("bucketPassword")]: STORAGE.password,
      [ns("bucketProbeUrl")]: `${servers.storage.url}/probe.png`,
      [ns("cdnToken")]: "cdn-Bearer-1a2b3c",
    },
    secretKeys: ["whatsapp:apiToken", ns("bucketPassword"), ns("cdnToken")],
  };
}

/** examples/basic's program (or a copy of it) in `project`. */
export function basicCase(servers: Servers, project: Project): ProgramCase {
  return {
    project,
    stack: "dev",
    bot: "bot",
    settings: basicSettings(servers, project.name),
    providers: 2,
    creates: 2,
    // Characters that JSON and URLs escape, so that the scans look for escaped forms too.
    update: [`${project.name}:cdnToken`, 'cdn-Bearer/rotated "9z" ü'],
    file: path.join(project.pwd, "index.ts"),
    remove: removeCdn,
  };
}

const ok = (s: Summary) => expect(s.failed, JSON.stringify(s.failed, null, 2)).toEqual([]);

/** Runs the whole lifecycle of one program against `emulator` and checks each step's effect on it. */
export async function lifecycle(emulator: Emulator, c: ProgramCase): Promise<void> {
  const writes = () => {
    const { POST = 0, DELETE = 0 } = emulator.counters().byMethod;
    return { POST, DELETE };
  };
  const secrets = [...c.settings.secretKeys.map((k) => c.settings.config[k] ?? ""), c.update[1]];
  const stack = new Stack({ project: c.project, stack: c.stack, ...c.settings });
  const answers: Summary[] = [];
  const answered = (summary: Summary) => {
    answers.push(summary);
    ok(summary);
  };
  const expectNoSecretShown = () => {
    const { stdout, stderr, program } = stack.logs;
    // The registrations are the program's own inputs.
    const said = plainStrings(answers.map((s) => ({ ...s, registrations: [] })));
    const outputs = [stack.stateJson(), stdout, stderr, program, ...said, ...plainStrings(stack.outputs)];
    expect(leaksIn(outputs.join("\n"), secrets)).toEqual([]);
  };

  emulator.resetCounters();
  let s = await stack.up();
  answered(s);
  expect(s.registrations).toHaveLength(c.providers);
  expect(writes()).toEqual({ POST: c.creates, DELETE: 0 });
  expect(emulator.providers(c.bot)).toHaveLength(c.providers);
  expect(Object.keys(stack.outputs)).toContain("providerNames");
  expectNoSecretShown();

  emulator.resetCounters();
  s = await stack.up();
  answered(s);
  expect(s.same).toHaveLength(c.providers);
  expect(writes()).toEqual({ POST: 0, DELETE: 0 });

  emulator.resetCounters();
  stack.setConfig(c.update[0], c.update[1], true);
  s = await stack.up();
  answered(s);
  expect(s.updated).toHaveLength(1);
  expect(writes()).toEqual({ POST: 1, DELETE: 0 });
  expectNoSecretShown();

  const source = readFileSync(c.file, "utf8");
  const edited = c.remove(source);
  expect(edited).not.toBe(source);
  writeFileSync(c.file, edited);
  try {
    emulator.resetCounters();
    s = await stack.up();
    answered(s);
    expect(s.deleted).toHaveLength(1);
    expect(writes()).toEqual({ POST: 0, DELETE: 1 });
    expect(emulator.providers(c.bot)).toHaveLength(c.providers - 1);
  } finally {
    writeFileSync(c.file, source);
  }

  s = await stack.destroy();
  answered(s);
  expect(emulator.providers(c.bot)).toEqual([]);
  expect(stack.resources()).toEqual([]);
  expectNoSecretShown();
}
