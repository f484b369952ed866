import { setMaxListeners } from "node:events";
import type { Dispatcher } from "undici";
import { createDispatcher } from "../client/dispatcher";
import { type ConfigSource, readSettings, type Settings } from "./settings";

// State of the provider process, shared by every MediaProvider of the program: the host
// deserializes the provider once per process and calls `configure` once.

let settings: Promise<Settings> | undefined;
let dispatcher: Promise<Dispatcher> | undefined;
let cancellation: AbortSignal | undefined;

/**
 * Takes the stack config. The host caches the provider before `configure` finishes, so the
 * settings are kept as a promise that every operation awaits. A connection pool made for earlier
 * settings is closed once its requests end (clients bound to it are keyed by it, so none is reused).
 */
export function configureSettings(config: ConfigSource | undefined): Promise<void> {
  settings = Promise.resolve().then(() => readSettings(config));
  const previous = dispatcher;
  dispatcher = undefined;
  previous?.then((d) => d.close()).catch(() => {});
  return settings.then(() => undefined);
}

/** The settings from `configure`, or from the environment alone when the SDK never calls it. */
export function currentSettings(): Promise<Settings> {
  settings ??= Promise.resolve().then(() => readSettings(undefined));
  return settings;
}

/**
 * Makes every operation of the process end when `signal` aborts, and send nothing after: the
 * provider plugin's `Cancel`. Set before the first operation (a connection keeps the signal it was
 * made with). The dynamic provider's host has no such call and sets none.
 */
export function cancelOperationsOn(signal: AbortSignal): void {
  // Every request in flight listens to it: thousands at once, which is no leak.
  setMaxListeners(0, signal);
  cancellation = signal;
}

/** The signal that cancels the process's operations, if anything can. */
export function operationSignal(): AbortSignal | undefined {
  return cancellation;
}

/** One keep-alive connection pool per process, limited per host by `whatsapp:maxConcurrency`. */
export function sharedDispatcher(): Promise<Dispatcher> {
  dispatcher ??= currentSettings().then((s) => createDispatcher({ maxConcurrency: s.maxConcurrency }));
  return dispatcher;
}
