import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";

/** What to answer a request with; `body` is serialized as JSON, none means an empty body. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The API's error object `{message, details}`; `message` is the status's reason phrase. */
export function errorAnswer(status: number, details: string, headers?: Record<string, string>): Answer {
  return { status, body: { message: STATUS_CODES[status] ?? "Error", details }, headers };
}

/** Writes an answer; returns the size of its body in bytes. */
export function sendAnswer(res: ServerResponse, answer: Answer): number {
  if (answer.body === undefined) {
    res.writeHead(answer.status, { ...answer.headers, "content-length": 0 });
    res.end();
    return 0;
  }
  const json = JSON.stringify(answer.body);
  const bytes = Buffer.byteLength(json);
  res.writeHead(answer.status, {
    ...answer.headers,
    "content-type": "application/json",
    "content-length": bytes,
  });
  res.end(json);
  return bytes;
}

/**
 * Reads a request body. Resolves `undefined` when it exceeds `limit` bytes; the rest is read and
 * discarded so the connection stays usable for keep-alive. Rejects if the client aborts.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve(size <= limit ? Buffer.concat(chunks, size) : undefined));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("request aborted"));
    });
  });
}

/** The media type of a `Content-Type` header, lower case and without parameters. */
export function mediaTypeOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(";")[0]?.trim().toLowerCase() || undefined;
}
