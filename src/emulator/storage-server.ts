import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * Starts a small HTTP file server that wants the credentials a media provider holds (Basic and/or
 * Bearer; with neither, files are public). Missing or wrong credentials get `401` with a
 * `WWW-Authenticate` challenge. Serves HEAD and GET; other methods get `405`. For tests and demos.
 */
export async function startStorageServer(options: StorageServerOptions): Promise<StorageServer> {
  const { port = 0, host = "127.0.0.1", basic, bearer, allowHead = true } = options;
  const files = new Map<string, { contentType: string; body: Buffer }>();
  for (const [path, file] of Object.entries(options.files)) {
    files.set(path.startsWith("/") ? path : `/${path}`, {
      contentType: file.contentType,
      body: typeof file.body === "string" ? Buffer.from(file.body, "utf8") : file.body,
    });
  }
  const redirects = new Map<string, { location: string; status: number }>();
  for (const [path, target] of Object.entries(options.redirects ?? {})) {
    const { location, status = 302 } = typeof target === "string" ? { location: target } : target;
    redirects.set(path.startsWith("/") ? path : `/${path}`, { location, status });
  }
  const accepted: Buffer[] = [];
  if (basic !== undefined) {
    const encoded = Buffer.from(`${basic.username}:${basic.password}`, "utf8").toString("base64");
    accepted.push(digest(`Basic ${encoded}`));
  }
  if (bearer !== undefined) accepted.push(digest(`Bearer ${bearer}`));
  const challenges = [
    ...(basic !== undefined ? ['Basic realm="storage", charset="UTF-8"'] : []),
    ...(bearer !== undefined ? ['Bearer realm="storage"'] : []),
  ];

  const authorized = (header: string | undefined): boolean => {
    if (accepted.length === 0) return true;
    if (header === undefined) return false;
    // Compare the scheme case-insensitively, the credentials exactly.
    const match = /^(\S+)[ \t]+(\S+)[ \t]*$/.exec(header);
    if (match === null) return false;
    const scheme =
      match[1]?.toLowerCase() === "basic" ? "Basic" : match[1]?.toLowerCase() === "bearer" ? "Bearer" : "";
    const seen = digest(`${scheme} ${match[2]}`);
    return accepted.some((d) => timingSafeEqual(d, seen));
  };

  const log: StorageRequestRecord[] = [];
  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers: Record<string, string | string[] | number>,
    body?: Buffer,
  ): void => {
    log.push({
      method: req.method ?? "",
      url: req.url ?? "",
      authorization: req.headers.authorization,
      status,
    });
    const payload = body ?? Buffer.alloc(0);
    res.writeHead(status, { "content-length": payload.length, ...headers });
    if (req.method === "HEAD") res.end();
    else res.end(payload);
  };

  const server = createServer((req, res) => {
    // Requests have no body worth reading; drain it so keep-alive works.
    req.resume();
    const method = req.method ?? "";
    const raw = req.url ?? "/";
    const queryAt = raw.indexOf("?");
    const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
    const text = (message: string) => Buffer.from(`${message}\n`, "utf8");
    const plain = { "content-type": "text/plain; charset=utf-8" };

    if (method !== "GET" && method !== "HEAD") {
      return answer(
        req,
        res,
        405,
        { ...plain, allow: allowHead ? "GET, HEAD" : "GET" },
        text("method not allowed"),
      );
    }
    if (method === "HEAD" && !allowHead) {
      return answer(req, res, 405, { ...plain, allow: "GET" }, text("HEAD is not supported; use GET"));
    }
    const redirect = redirects.get(path);
    if (redirect !== undefined) {
      return answer(req, res, redirect.status, { location: redirect.location });
    }
    if (!authorized(req.headers.authorization)) {
      return answer(req, res, 401, { ...plain, "www-authenticate": challenges }, text("unauthorized"));
    }
    const file = files.get(path);
    if (file === undefined) return answer(req, res, 404, plain, text("not found"));
    return answer(req, res, 200, { "content-type": file.contentType }, file.body);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    requests: () => log.map((r) => ({ ...r })),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
