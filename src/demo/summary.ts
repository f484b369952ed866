/**
 * What the demo prints about the emulator, the messages and the storage. Only names, auth types,
 * usernames, statuses and sizes: never a password, a token, or an `Authorization` header.
 */
import type { SentMessage, StorageRequestRecord } from "../emulator";
import { authTypeOf, type MediaProviderEntry } from "../types/media-provider";

/** Prefixes every complete line of a stream of chunks, and holds a partial line until it ends. */
export class LinePrefixer {
  #pending = "";
  readonly #prefix: string;
  readonly #write: (text: string) => void;

  constructor(prefix: string, write: (text: string) => void) {
    this.#prefix = prefix;
    this.#write = write;
  }

  /** Takes one chunk of output. */
  push(chunk: string): void {
    const text = this.#pending + chunk.replace(/\r\n?/g, "\n");
    const end = text.lastIndexOf("\n");
    if (end === -1) {
      this.#pending = text;
      return;
    }
    this.#pending = text.slice(end + 1);
    this.#write(
      text
        .slice(0, end)
        .split("\n")
        .map((line) => `${this.#prefix}${line}\n`)
        .join(""),
    );
  }

  /** Writes what is left of a last line without a newline. */
  flush(): void {
    if (this.#pending !== "") this.#write(`${this.#prefix}${this.#pending}\n`);
    this.#pending = "";
  }
}

/** A bot's providers as a small table: name and auth type, plus the username of Basic ones. */
export function formatProviders(botId: string, entries: MediaProviderEntry[]): string {
  if (entries.length === 0) return `Bot ${botId} has no media providers.\n`;
  const width = Math.max(4, ...entries.map((e) => e.name.length));
  const lines = entries.map((entry) => {
    const auth = authTypeOf(entry.config);
    const who = "basic" in entry.config ? `username ${entry.config.basic.username}` : "token (hidden)";
    return `  ${entry.name.padEnd(width)}  ${auth.padEnd(6)}  ${who}`;
  });
  return [
    `Bot ${botId} has ${entries.length} media provider${entries.length === 1 ? "" : "s"}:`,
    `  ${"name".padEnd(width)}  ${"auth".padEnd(6)}  credentials`,
    ...lines,
    "",
  ].join("\n");
}

/** One line per message recipient: state, and why it failed or what was downloaded. */
export function formatMessages(messages: SentMessage[]): string {
  return messages
    .map((m) => {
      const via = m.provider === undefined ? "no provider" : `provider ${m.provider}`;
      const head = `  ${m.type} to ${m.recipient} (${via}): ${m.state}`;
      if (m.state === "failed") return `${head}, ${m.reason}: ${m.details ?? ""}\n`;
      const d = m.download;
      return d === undefined
        ? `${head}\n`
        : `${head}: the storage answered ${d.status} with ${d.bytes} bytes of ${d.contentType ?? "unknown type"}\n`;
    })
    .join("");
}

/**
 * How a request authenticated, without its secret: `Basic (username media-reader)`,
 * `Bearer (token hidden)`, or `no credentials`.
 */
export function describeAuthorization(header: string | undefined): string {
  if (header === undefined || header.trim() === "") return "no credentials";
  const [scheme = "", value = ""] = header.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon > 0 ? `Basic (username ${decoded.slice(0, colon)}, password hidden)` : "Basic (malformed)";
  }
  if (scheme.toLowerCase() === "bearer") return "Bearer (token hidden)";
  return `${scheme.slice(0, 20)} (hidden)`;
}

/** The storage's request log, one line each, credentials described but never shown. */
export function formatStorageRequests(requests: StorageRequestRecord[]): string {
  if (requests.length === 0) return "  (the storage received no request)\n";
  return requests
    .map(
      (r) =>
        `  ${r.method} ${r.url.split("?")[0]} -> ${r.status}, ${describeAuthorization(r.authorization)}\n`,
    )
    .join("");
}
