import { createServer, type IncomingMessage, type ServerOptions, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as a raw test server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/**
 * A bare HTTP server on 127.0.0.1 for answers the emulator would never give (HTML pages,
 * truncated JSON, silence). It records requests and the connections opened to it. `options` go to
 * `http.createServer` (a larger `maxHeaderSize` for huge tokens).
 */
export async function startRawServer(
  handler: (req: SeenRequest, res: ServerResponse) => void,
  options: ServerOptions = {},
) {
  const seen: SeenRequest[] = [];
  let connections = 0;
  const server = createServer(options, (req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      seen.push(request);
      handler(request, res);
    });
  });
  server.on("connection", () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
