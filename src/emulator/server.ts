import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { EmulatorError } from "../errors/emulator-error";
import type { MediaProviderEntry } from "../types/media-provider";
import { BotAuthenticator } from "./auth";
import { CounterSet, type EmulatorCounters } from "./counters";
import { type EmulatorFaults, FaultInjector } from "./faults";
import { handleProvision } from "./handlers";
import { type Answer, errorAnswer, readBody, sendAnswer } from "./http-io";
import { closeServer, listen } from "./listen";
import type { SentMessage } from "./message-log";
import { DEFAULT_DOWNLOAD_TIMEOUT_MS, MessageCenter } from "./messages";
import { type EmulatorOptions, emulatorOptionsSchema } from "./options";
import { matchRoute, type ProvisionRoute } from "./routes";
import { readStateFile, StateWriter, serializeState } from "./state-file";
import { lockStateFile, type StateLock } from "./state-lock";
import { ProviderStore } from "./store";
import { describeIssues } from "./validation";

/** Largest request body accepted; a provider is a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

const FAULT_DETAILS = {
  "429": "rate limited (fault injected by the emulator)",
  "503": "service unavailable (fault injected by the emulator)",
  concurrency429: "too many concurrent requests for this bot",
} as const;

/** A running emulator of the Sinch WhatsApp media-provider API. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /**
   * Stops listening, closes every connection (keep-alive ones too), flushes the state file and
   * releases its lock.
   */
  close(): Promise<void>;
  /** Replaces all fault settings (omitted ones turn off) and restarts the PRNG and the script. */
  setFaults(faults: EmulatorFaults): void;
  /** A copy of the counters. */
  counters(): EmulatorCounters;
  /** Sets every counter back to zero. */
  resetCounters(): void;
  /** A copy of a bot's providers in list order. Throws for an unknown bot. */
  providers(botId: string): MediaProviderEntry[];
  /**
   * Adds or overwrites a provider behind the API's back (drift). Not validated, so tests can plant
   * entries the API would now refuse, e.g. names from before the 2020-03-10 rule.
   */
  setProvider(botId: string, entry: MediaProviderEntry): void;
  /** Removes a provider behind the API's back; returns whether it existed. */
  removeProvider(botId: string, name: string): boolean;
  /** Writes pending changes to the state file now (no-op without `statePath`). */
  flushState(): Promise<void>;
  /**
   * A copy of the messages a bot sent through `POST /whatsapp/v1/{botId}/messages`, one per
   * recipient, oldest first, with their outcome. Throws for an unknown bot.
   */
  messages(botId: string): SentMessage[];
}

/**
 * Starts an emulator: validates the options, locks and loads `statePath` if given, and listens.
 * Rejects with an `EmulatorError` on invalid options, a state file that is invalid or in use by
 * another running emulator, or a port in use.
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const parsed = emulatorOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new EmulatorError(
      "ERR_WHATSAPP_EMULATOR_OPTIONS",
      `invalid emulator options: ${describeIssues(parsed.error.issues)}`,
    );
  }
  const { port = 0, host = "127.0.0.1", bots, statePath, faults, mediaTimeoutMs } = parsed.data;
  const lock = statePath === undefined ? undefined : await lockStateFile(statePath);
  try {
    const counters = new CounterSet();
    let writer: StateWriter | undefined;
    const store = new ProviderStore(() => writer?.changed());
    if (statePath !== undefined) {
      const saved = await readStateFile(statePath);
      if (saved !== undefined) store.load(saved);
      writer = new StateWriter(
        statePath,
        () => serializeState(store.allBots()),
        () => counters.stateWrite(),
      );
    }
    for (const botId of bots.keys()) store.addBot(botId);
    const emulator = new RunningEmulator(
      { store, counters, writer, lock },
      new BotAuthenticator(bots),
      new FaultInjector(faults),
      new MessageCenter(store, counters, {
        downloadTimeoutMs: mediaTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
      }),
    );
    await emulator.listen(port, host);
    return emulator;
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

/** What the emulator keeps: the providers, the counters, and the state file with its lock. */
interface EmulatorState {
  store: ProviderStore;
  counters: CounterSet;
  writer: StateWriter | undefined;
  lock: StateLock | undefined;
}

class RunningEmulator implements Emulator {
  url = "";
  port = 0;
  readonly #server: Server;
  readonly #store: ProviderStore;
  readonly #auth: BotAuthenticator;
  readonly #faults: FaultInjector;
  readonly #counters: CounterSet;
  readonly #writer: StateWriter | undefined;
  readonly #lock: StateLock | undefined;
  readonly #messages: MessageCenter;
  readonly #inFlight = new Map<string, number>();
  #closing: Promise<void> | undefined;

  constructor(state: EmulatorState, auth: BotAuthenticator, faults: FaultInjector, messages: MessageCenter) {
    this.#store = state.store;
    this.#counters = state.counters;
    this.#writer = state.writer;
    this.#lock = state.lock;
    this.#auth = auth;
    this.#faults = faults;
    this.#messages = messages;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(() => {
        // Typically the client went away mid-body; answer only if someone is still listening.
        if (req.socket.destroyed) return;
        if (res.headersSent) req.socket.destroy();
        else this.#send(res, errorAnswer(500, "internal emulator error"));
      });
    });
  }

  async listen(port: number, host: string): Promise<void> {
    ({ port: this.port, url: this.url } = await listen(this.#server, port, host));
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  setFaults(faults: EmulatorFaults): void {
    this.#faults.set(faults);
  }

  counters(): EmulatorCounters {
    return this.#counters.snapshot();
  }

  resetCounters(): void {
    this.#counters.reset();
  }

  providers(botId: string): MediaProviderEntry[] {
    return structuredClone(this.#store.list(botId));
  }

  setProvider(botId: string, entry: MediaProviderEntry): void {
    this.#store.put(botId, structuredClone(entry));
  }

  removeProvider(botId: string, name: string): boolean {
    return this.#store.remove(botId, name);
  }

  async flushState(): Promise<void> {
    await this.#writer?.flush();
  }

  messages(botId: string): SentMessage[] {
    return this.#messages.messages(botId);
  }

  async #shutdown(): Promise<void> {
    await closeServer(this.#server);
    await this.#messages.close();
    try {
      await this.#writer?.close();
    } finally {
      await this.#lock?.release();
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "";
    this.#counters.request(method);
    const route = matchRoute(method, req.url ?? "/");
    switch (route.kind) {
      case "not-found":
        return this.#send(
          res,
          errorAnswer(
            404,
            "no such endpoint; this API serves /whatsapp/v1/{botId}/provision/provider and /whatsapp/v1/{botId}/messages",
          ),
        );
      case "method-not-allowed":
        return this.#send(res, errorAnswer(405, `${method} is not allowed here`, { allow: route.allow }));
      case "bad-encoding":
        return this.#send(res, errorAnswer(400, "the path is not valid percent-encoding"));
      case "messages":
        return this.#handleMessages(route.botId, req, res);
      default:
        return this.#handleProvision(route, req, res);
    }
  }

  async #handleProvision(route: ProvisionRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { botId } = route;
    const inFlight = (this.#inFlight.get(botId) ?? 0) + 1;
    this.#inFlight.set(botId, inFlight);
    this.#counters.inFlight(botId, inFlight);
    res.once("close", () => this.#leave(botId));

    const decision = this.#faults.decide(route.kind !== "list", inFlight);
    const body = route.kind === "upsert" ? await readBody(req, MAX_BODY_BYTES) : undefined;
    const latencyMs = this.#faults.latencyMs;
    if (latencyMs > 0) await delay(latencyMs);
    // close() has already cut the connection; a late write would miss the final flush.
    if (this.#closing !== undefined) return;

    switch (decision) {
      case "drop":
        this.#counters.fault("drop");
        req.socket.destroy();
        return;
      case "429":
      case "503":
      case "concurrency429":
        this.#counters.fault(decision);
        return this.#send(
          res,
          errorAnswer(decision === "503" ? 503 : 429, FAULT_DETAILS[decision], {
            "retry-after": String(this.#faults.retryAfterSeconds),
          }),
        );
    }
    if (decision === "lostWrite") {
      const denied = this.#auth.check(botId, req.headers.authorization);
      if (denied === undefined) this.#counters.fault("lostWrite");
      return this.#send(res, denied === undefined ? { status: 200 } : errorAnswer(401, denied));
    }
    const answer = await this.#apply(route, req, body);
    if (decision === "dropAfterWrite") {
      this.#counters.fault("dropAfterWrite");
      req.socket.destroy();
      return;
    }
    this.#send(res, answer);
  }

  // Faults apply to the provision endpoints only: a message is authorized, then handled.
  async #handleMessages(botId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, MAX_BODY_BYTES);
    const denied = this.#auth.check(botId, req.headers.authorization);
    let answer: Answer;
    if (denied !== undefined) answer = errorAnswer(401, denied);
    else if (body === undefined) answer = errorAnswer(413, `the body exceeds ${MAX_BODY_BYTES} bytes`);
    else answer = await this.#messages.handle(botId, req.headers["content-type"], body);
    if (this.#closing !== undefined) return;
    this.#send(res, answer);
  }

  async #apply(route: ProvisionRoute, req: IncomingMessage, body: Buffer | undefined): Promise<Answer> {
    const denied = this.#auth.check(route.botId, req.headers.authorization);
    if (denied !== undefined) return errorAnswer(401, denied);
    if (route.kind === "upsert" && body === undefined) {
      return errorAnswer(413, `the body exceeds ${MAX_BODY_BYTES} bytes`);
    }
    const answer = handleProvision(route, this.#store, req.headers["content-type"], body);
    if (route.kind === "list" || answer.status !== 200) return answer;
    // A write is acknowledged only once it is on disk.
    try {
      await this.#writer?.saved();
    } catch (error) {
      return errorAnswer(500, `the change could not be saved: ${(error as Error).message}`);
    }
    return answer;
  }

  #leave(botId: string): void {
    const left = (this.#inFlight.get(botId) ?? 1) - 1;
    if (left > 0) this.#inFlight.set(botId, left);
    else this.#inFlight.delete(botId);
  }

  #send(res: ServerResponse, answer: Answer): void {
    this.#counters.answer(answer.status, sendAnswer(res, answer));
  }
}
