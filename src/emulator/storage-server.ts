import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { digest } from "./digest";
import { closeServer, listen } from "./listen";

/** A file the storage serves. */
export interface StorageFile {
  contentType: string;
  body: Buffer | string;
}

/** Where a redirect sends the client: a Location (302), or a Location and a 3xx status. */
export type StorageRedirect = string | { location: string; status?: 301 | 302 | 303 | 307 | 308 };

/** Options of {@link startStorageServer}. */
export interface StorageServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to bind; default `127.0.0.1`. */
  host?: string;
  /** Accept `Authorization: Basic` with this username and password. */
  basic?: { username: string; password: string };
  /** Accept `Authorization: Bearer` with this token. */
  bearer?: string;
  /** Path (e.g. `/media/cat.jpg`) → file. The query string is ignored when matching. */
  files: Record<string, StorageFile>;
  /** Path → redirect, answered before any credential check (as many CDNs do). */
  redirects?: Record<string, StorageRedirect>;
  /** Whether HEAD is served (default true); false answers it `405`, like storages that only serve GET. */
  allowHead?: boolean;
}

/** A request the storage received. */
export interface StorageRequestRecord {
  method: string;
  /** Path with its query string, as received. */
  url: string;
  /** The `Authorization` header as received (this is a test server: it is kept in clear). */
  authorization: string | undefined;
  /** The status answered. */
  status: number;
}

/** A running storage server. */
export interface StorageServer {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
  /** A copy of the requests received so far, in order. */
  requests(): StorageRequestRecord[];
}

/** Paths start with `/`; options may omit it. */
const withSlash = (path: string) => (path.startsWith("/") ? path : `/${path}`);

function readFiles(files: Record<string, StorageFile>): Map<string, { contentType: string; body: Buffer }> {
  return new Map(
    Object.entries(files).map(([path, file]) => [
      withSlash(path),
      {
        contentType: file.contentType,
        body: typeof file.body === "string" ? Buffer.from(file.body, "utf8") : file.body,
      },
    ]),
  );
}

function readRedirects(
  redirects: Record<string, StorageRedirect>,
): Map<string, { location: string; status: number }> {
  return new Map(
    Object.entries(redirects).map(([path, target]) => {
      const { location, status = 302 } = typeof target === "string" ? { location: target } : target;
      return [withSlash(path), { location, status }];
    }),
  );
}

/** Checks `Authorization` against the Basic and Bearer credentials the storage wants. */
class StorageCredentials {
  readonly #accepted: Buffer[] = [];
  /** `WWW-Authenticate` challenges, one per accepted scheme. */
  readonly challenges: string[] = [];

  constructor(basic: StorageServerOptions["basic"], bearer: string | undefined) {
    if (basic !== undefined) {
      const encoded = Buffer.from(`${basic.username}:${basic.password}`, "utf8").toString("base64");
      this.#accepted.push(digest(`Basic ${encoded}`));
      this.challenges.push('Basic realm="storage", charset="UTF-8"');
    }
    if (bearer !== undefined) {
      this.#accepted.push(digest(`Bearer ${bearer}`));
      this.challenges.push('Bearer realm="storage"');
    }
  }

  /** Whether the header carries accepted credentials (always, when none are wanted). */
  authorized(header: string | undefined): boolean {
    if (this.#accepted.length === 0) return true;
    // Compare the scheme case-insensitively, the credentials exactly.
    const match = /^(\S+)[ \t]+(\S+)[ \t]*$/.exec(header ?? "");
    if (match === null) return false;
    const scheme = SCHEMES[match[1]?.toLowerCase() ?? ""] ?? "";
    const seen = digest(`${scheme} ${match[2]}`);
    return this.#accepted.some((d) => timingSafeEqual(d, seen));
  }
}

const SCHEMES: Readonly<Record<string, string>> = { basic: "Basic", bearer: "Bearer" };

/** An answer of the storage: status, headers and an optional body. */
interface StorageAnswer {
  status: number;
  headers: Record<string, string | string[] | number>;
  body?: Buffer;
}

const PLAIN = { "content-type": "text/plain; charset=utf-8" };
const text = (message: string) => Buffer.from(`${message}\n`, "utf8");

/**
 * Starts a small HTTP file server that wants the credentials a media provider holds (Basic and/or
 * Bearer; with neither, files are public). Missing or wrong credentials get `401` with a
 * `WWW-Authenticate` challenge. Serves HEAD and GET; other methods get `405`. For tests and demos.
 */
export async function startStorageServer(options: StorageServerOptions): Promise<StorageServer> {
  const { port = 0, host = "127.0.0.1", allowHead = true } = options;
  const files = readFiles(options.files);
  const redirects = readRedirects(options.redirects ?? {});
  const credentials = new StorageCredentials(options.basic, options.bearer);

  // Redirects are answered before any credential check, as many CDNs do.
  const decide = (method: string, path: string, authorization: string | undefined): StorageAnswer => {
    if (method !== "GET" && method !== "HEAD") {
      return {
        status: 405,
        headers: { ...PLAIN, allow: allowHead ? "GET, HEAD" : "GET" },
        body: text("method not allowed"),
      };
    }
    if (method === "HEAD" && !allowHead) {
      return {
        status: 405,
        headers: { ...PLAIN, allow: "GET" },
        body: text("HEAD is not supported; use GET"),
      };
    }
    const redirect = redirects.get(path);
    if (redirect !== undefined) return { status: redirect.status, headers: { location: redirect.location } };
    if (!credentials.authorized(authorization)) {
      return {
        status: 401,
        headers: { ...PLAIN, "www-authenticate": credentials.challenges },
        body: text("unauthorized"),
      };
    }
    const file = files.get(path);
    if (file === undefined) return { status: 404, headers: PLAIN, body: text("not found") };
    return { status: 200, headers: { "content-type": file.contentType }, body: file.body };
  };

  const log: StorageRequestRecord[] = [];
  const server = createServer((req, res) => {
    // Requests have no body worth reading; drain it so keep-alive works.
    req.resume();
    const raw = req.url ?? "/";
    const queryAt = raw.indexOf("?");
    const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
    const answer = decide(req.method ?? "", path, req.headers.authorization);
    log.push({
      method: req.method ?? "",
      url: raw,
      authorization: req.headers.authorization,
      status: answer.status,
    });
    send(req, res, answer);
  });

  const listening = await listen(server, port, host);
  let closing: Promise<void> | undefined;
  return {
    ...listening,
    requests: () => log.map((r) => ({ ...r })),
    close() {
      closing ??= closeServer(server);
      return closing;
    },
  };
}

function send(req: IncomingMessage, res: ServerResponse, answer: StorageAnswer): void {
  const payload = answer.body ?? Buffer.alloc(0);
  res.writeHead(answer.status, { "content-length": payload.length, ...answer.headers });
  if (req.method === "HEAD") res.end();
  else res.end(payload);
}
