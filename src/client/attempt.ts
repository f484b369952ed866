import type { Dispatcher } from "undici";
import type { CallTimeoutWaitingFor } from "../errors/call-timeout-error";
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

/** Why an attempt was aborted: it ran past its own deadline. */
class RequestTimeout extends Error {
  readonly code = "REQUEST_TIMEOUT";
  constructor(ms: number) {
    super(`timed out after ${ms / 1000} s, the deadline of one attempt (connection, headers and body)`);
  }
}

/** Why an attempt was aborted: the call's deadline came first. */
class CallDeadline extends Error {}

/** Why an attempt was aborted: its call was cancelled. */
class Cancelled extends Error {}

const NOT_SENT: Progress = { waitingFor: "connection", receivedBytes: 0, expectedBytes: undefined };

/**
 * Sends one request once one of `slots` is free, and reads its body whole, up to the size limit,
 * within the attempt's deadline (counted from when the request can leave) and the call's (waiting
 * for a slot included), whichever ends first, unless the signal aborts first. Never throws.
 */
export async function attempt(
  dispatcher: Dispatcher,
  request: Dispatcher.RequestOptions,
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

/** The request and its body, within the deadlines. */
async function exchange(
  dispatcher: Dispatcher,
  request: Dispatcher.RequestOptions,
  { attemptMs, callEndsAt, maxResponseBytes, signal }: AttemptLimits,
): Promise<Attempt> {
  // A signal that aborted already (while the slot was handed over) fires no more events.
  if (signal?.aborted) return { cancelled: NOT_SENT };
  const callLeftMs = callEndsAt - performance.now();
  const controller = new AbortController();
  // The reason is made when the timer fires: an Error captures a stack, and most attempts end first.
  const timer = setTimeout(
    () => controller.abort(callLeftMs <= attemptMs ? new CallDeadline() : new RequestTimeout(attemptMs)),
    Math.max(0, Math.min(callLeftMs, attemptMs)),
  );
  const cancel = () => controller.abort(new Cancelled());
  signal?.addEventListener("abort", cancel, { once: true });
  const progress: Progress = { waitingFor: "headers", receivedBytes: 0, expectedBytes: undefined };
  try {
    const response = await dispatcher.request({ ...request, signal: controller.signal });
    progress.waitingFor = "body";
    const length = Number(response.headers["content-length"]);
    progress.expectedBytes = Number.isSafeInteger(length) ? length : undefined;
    const tooLarge = { tooLarge: { status: response.statusCode, expectedBytes: progress.expectedBytes } };
    if ((progress.expectedBytes ?? 0) > maxResponseBytes) return cutShort(controller, tooLarge);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) {
      progress.receivedBytes += chunk.length;
      if (progress.receivedBytes > maxResponseBytes) return cutShort(controller, tooLarge);
      chunks.push(chunk);
    }
    // As undici's `body.text()` decodes: UTF-8, a byte order mark dropped.
    return {
      status: response.statusCode,
      headers: response.headers,
      text: new TextDecoder().decode(Buffer.concat(chunks)),
    };
  } catch (error) {
    const reason: unknown = controller.signal.reason;
    if (reason instanceof Cancelled) return { cancelled: progress };
    return reason instanceof CallDeadline ? { callTimedOut: progress } : { error };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", cancel);
  }
}

/** `ended`, the request aborted so that no more of its body is read. */
function cutShort(controller: AbortController, ended: { tooLarge: TooLarge }): Attempt {
  controller.abort();
  return ended;
}
