import { WhatsAppError } from "./whatsapp-error";

/**
 * What an attempt cut short at its call's deadline was waiting for: a free connection (all were
 * busy with other requests), the response headers (connecting included), or the rest of the body.
 */
export type CallTimeoutWaitingFor = "connection" | "headers" | "body";

/** What the client knows of a call that ran out of its deadline. */
export interface CallTimeoutErrorDetails {
  /** HTTP method of the call. */
  method: string;
  /** URL of the call (base URL and path; no secret). */
  url: string;
  /** The call's deadline, in ms: every attempt and the waits between them. */
  timeoutMs: number;
  /** The attempt that was cut short (1 for the first). */
  attempt: number;
  /** What that attempt was waiting for. */
  waitingFor: CallTimeoutWaitingFor;
  /** Bytes of the body received, when the headers had come. */
  receivedBytes: number;
  /** The body's `Content-Length`, when the headers said. */
  expectedBytes: number | undefined;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function waitedFor(d: CallTimeoutErrorDetails): string {
  if (d.waitingFor === "connection") {
    return "had not been sent: every connection to the API was busy with other requests (whatsapp:maxConcurrency allows more)";
  }
  if (d.waitingFor === "headers") return "was still waiting for the response headers";
  const of = d.expectedBytes === undefined ? "" : ` of ${d.expectedBytes}`;
  return `had the response headers and was still receiving the body (${d.receivedBytes}${of} bytes so far)`;
}

/**
 * A call to the API (one request with all its retries and the waits between them) did not end
 * within its deadline (`whatsapp:callTimeoutMs`, 120 s by default): the API or a proxy answered
 * too slowly, or kept a body trickling in.
 */
export class CallTimeoutError extends WhatsAppError {
  /** The call's deadline, in ms. */
  readonly timeoutMs: number;
  /** Attempts made, the one cut short included. */
  readonly attempts: number;
  /** What the last attempt was waiting for. */
  readonly waitingFor: CallTimeoutWaitingFor;

  constructor(details: CallTimeoutErrorDetails) {
    super(
      "ERR_WHATSAPP_CALL_TIMEOUT",
      `${details.method} ${details.url} gave up after ${seconds(details.timeoutMs)}, its deadline for all attempts and the waits between them: attempt ${details.attempt} ${waitedFor(details)}. The API, or a proxy in between, answers this slowly: check whatsapp:baseUrl and the proxy settings (HTTPS_PROXY, NO_PROXY), or for a slow link raise whatsapp:callTimeoutMs (WHATSAPP_CALL_TIMEOUT_MS; the CLI's --timeout).`,
    );
    this.timeoutMs = details.timeoutMs;
    this.attempts = details.attempt;
    this.waitingFor = details.waitingFor;
  }
}
