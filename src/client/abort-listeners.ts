/** Told when a signal it listens to (through {@link listen}) aborts. */
export interface AbortListener {
  aborted(): void;
}

/** The listeners of each signal, told by one event listener on it. */
const listening = new WeakMap<AbortSignal, Set<AbortListener>>();

/**
 * Tells `listener` when `signal` aborts, unless {@link unlisten} comes first. However many listen
 * to one signal (the plugin's `Cancel` is one for the whole process), it carries one event
 * listener: adding and removing one per request costs more than the request's other bookkeeping,
 * and thousands would pass the signal's listener limit. `signal` must not have aborted yet.
 */
export function listen(signal: AbortSignal, listener: AbortListener): void {
  let listeners = listening.get(signal);
  if (listeners === undefined) {
    const all = new Set<AbortListener>();
    signal.addEventListener("abort", () => tellAll(all), { once: true });
    listening.set(signal, all);
    listeners = all;
  }
  listeners.add(listener);
}

/** `listener` is told no more of `signal`. */
export function unlisten(signal: AbortSignal, listener: AbortListener): void {
  listening.get(signal)?.delete(listener);
}

function tellAll(listeners: Set<AbortListener>): void {
  // A listener told may unlisten itself: a Set's iteration allows that.
  for (const listener of listeners) listener.aborted();
  listeners.clear();
}
