import type { Dispatcher } from "undici";
import type { CallTimeoutWaitingFor } from "../errors/call-timeout-error";
import { queuedAbortOption } from "../utils/undici";
import { type AbortListener, listen, unlisten } from "./abort-listeners";
import type { RequestSlots } from "./request-slots";

/** How far an attempt got before it was cut short. */
export interface Progress {
  /** A free connection, the response headers, or the rest of the body. */
  waitingFor: CallTimeoutWaitingFor;
  /** Bytes of the body received. */
  receivedBytes: number;
  /** The body's `Content-Length`, when the headers said. */
  expectedBytes: number | undefined;
}

/** An answer whose body passed the size limit: the rest of it was not read. */
export interface TooLarge {
  status: number;
  /** The body's `Content-Length`, when the headers said. */
  expectedBytes: number | undefined;
}

/**
 * How one attempt ended: a complete answer, an error, a body over the size limit, the end of the
 * call's deadline, or a cancellation.
 */
export type Attempt =
  | { status: number; headers: Dispatcher.ResponseData["headers"]; text: string }
  | { error: unknown }
  | { tooLarge: TooLarge }
  | { callTimedOut: Progress }
  | { cancelled: Progress };

/** When an attempt must end. */
export interface AttemptLimits {
  /** The attempt's own deadline, in ms; running past it is a timeout the caller may retry. */
  attemptMs: number;
  /** When the whole call ends (a `performance.now()` time); no attempt outlives it. */
  callEndsAt: number;
  /** Most bytes of a body: reading stops as soon as a body passes it (or its `Content-Length` does). */
  maxResponseBytes: number;
  /** Ends the attempt at once when it aborts, wherever it is (the plugin's `Cancel`). */
  signal?: AbortSignal | undefined;
}

/** An attempt's own deadline passed: an error the caller may retry, like undici's timeouts. */
class RequestTimeout extends Error {
  readonly code = "REQUEST_TIMEOUT";
  constructor(ms: number) {
    super(`timed out after ${ms / 1000} s, the deadline of one attempt (connection, headers and body)`);
  }
}

/** Why a request was aborted: the attempt ended without it (never seen by a caller). */
class Abandoned extends Error {
  constructor() {
    super("the client stopped waiting for this request");
  }
}

const NOT_SENT: Progress = { waitingFor: "connection", receivedBytes: 0, expectedBytes: undefined };

/** Decodes as undici's `body.text()` does: UTF-8, a byte order mark dropped. Stateless without `stream`. */
const utf8 = new TextDecoder();

/**
 * Sends one request once one of `slots` is free, and reads its body whole, up to the size limit,
 * within the attempt's deadline (counted from when the request can leave) and the call's (waiting
 * for a slot included), whichever ends first, unless the signal aborts first. Never throws.
 */
export async function attempt(
  dispatcher: Dispatcher,
  request: Dispatcher.DispatchOptions,
  limits: AttemptLimits,
  slots: RequestSlots,
): Promise<Attempt> {
  if (!(await slots.take(limits.callEndsAt, limits.signal))) {
    return limits.signal?.aborted ? { cancelled: NOT_SENT } : { callTimedOut: NOT_SENT };
  }
  try {
    return await exchange(dispatcher, request, limits);
  } finally {
    slots.release();
  }
}

/**
 * The request and its body, within the deadlines. Through undici's `dispatch` and a handler that
 * gathers the body, rather than its `request`: no stream, signal or listeners per request, which
 * cost more CPU than the rest of the client when a thousand requests are made at once.
 */
function exchange(
  dispatcher: Dispatcher,
  request: Dispatcher.DispatchOptions,
  limits: AttemptLimits,
): Promise<Attempt> {
  // A signal that aborted already (while the slot was handed over) fires no more events.
  if (limits.signal?.aborted) return Promise.resolve({ cancelled: NOT_SENT });
  return new Promise((resolve) => {
    const handler = new Exchange(limits, resolve);
    try {
      dispatcher.dispatch({ ...request, [queuedAbortOption()]: handler.queued }, handler);
    } catch (error) {
      handler.end({ error });
    }
  });
}

/** One request in flight: undici's handler of it, which gathers the answer and ends it when it must. */
class Exchange implements Dispatcher.DispatchHandler, AbortListener {
  readonly progress: Progress = { waitingFor: "headers", receivedBytes: 0, expectedBytes: undefined };
  private ended = false;
  private readonly timer: NodeJS.Timeout;
  /** undici's controller of the request, once it has a connection. */
  private controller: Dispatcher.DispatchController | undefined;
  /** Takes the request out of undici's queue, while it waits for a connection. */
  private unqueue: ((reason: Error) => void) | undefined;
  private status = 0;
  private headers: Dispatcher.ResponseData["headers"] = {};
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly limits: AttemptLimits,
    private readonly settle: (ended: Attempt) => void,
  ) {
    const callLeftMs = limits.callEndsAt - performance.now();
    const ms = Math.max(0, Math.min(callLeftMs, limits.attemptMs));
    this.timer = setTimeout(timeUp, ms, this, callLeftMs <= limits.attemptMs);
    if (limits.signal !== undefined) listen(limits.signal, this);
  }

  /** undici tells how to take the request out of its queue (the request waits for a connection). */
  readonly queued = (unqueue: (reason: Error) => void): void => {
    if (this.ended) unqueue(new Abandoned());
    else this.unqueue = unqueue;
  };

  /** The call's signal aborted. */
  aborted(): void {
    this.cutShort({ cancelled: this.progress });
  }

  /** The attempt's deadline, or the call's when `call`, has come. */
  timeUp(call: boolean): void {
    this.cutShort(
      call ? { callTimedOut: this.progress } : { error: new RequestTimeout(this.limits.attemptMs) },
    );
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.ended) controller.abort(new Abandoned());
    else this.controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Dispatcher.ResponseData["headers"],
  ): void {
    // An informational answer (1xx) comes before the real one.
    if (this.ended || statusCode < 200) return;
    this.progress.waitingFor = "body";
    const length = Number(headers["content-length"]);
    this.progress.expectedBytes = Number.isSafeInteger(length) ? length : undefined;
    this.status = statusCode;
    this.headers = headers;
    if ((this.progress.expectedBytes ?? 0) > this.limits.maxResponseBytes) this.cutShort(this.tooLarge());
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.ended) return;
    this.progress.receivedBytes += chunk.length;
    if (this.progress.receivedBytes > this.limits.maxResponseBytes) this.cutShort(this.tooLarge());
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.ended) return;
    const text = utf8.decode(Buffer.concat(this.chunks, this.progress.receivedBytes));
    this.end({ status: this.status, headers: this.headers, text });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    this.end({ error });
  }

  /** The attempt ends so (the request has ended, or is left to end), unless it has already. */
  end(ended: Attempt): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    if (this.limits.signal !== undefined) unlisten(this.limits.signal, this);
    this.settle(ended);
  }

  /** The attempt ends so, before the request has: it is aborted, so that no more of it is read. */
  private cutShort(ended: Attempt): void {
    if (this.ended) return;
    this.end(ended);
    // Not started yet and not queued: `onRequestStart` aborts it.
    if (this.controller !== undefined) this.controller.abort(new Abandoned());
    else this.unqueue?.(new Abandoned());
  }

  private tooLarge(): Attempt {
    return { tooLarge: { status: this.status, expectedBytes: this.progress.expectedBytes } };
  }
}

function timeUp(exchange: Exchange, call: boolean): void {
  exchange.timeUp(call);
}
