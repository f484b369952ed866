import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EmulatorError } from "../errors/emulator-error";

/** Where a server listens: its port and base URL (no trailing slash; IPv6 hosts in brackets). */
export interface Listening {
  port: number;
  url: string;
}

/**
 * Starts `server` listening on `host:port` (0 picks a free port). Rejects with an
 * `ERR_WHATSAPP_EMULATOR_LISTEN` error naming the address and the system's code (e.g. `EADDRINUSE`).
 */
export async function listen(server: Server, port: number, host: string): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException): void =>
      reject(
        new EmulatorError(
          "ERR_WHATSAPP_EMULATOR_LISTEN",
          `cannot listen on ${host}:${port}: ${error.code ?? error.message}; pick another --port (0 picks a free one) or stop what uses it`,
          { cause: error },
        ),
      );
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return { port: actual, url: `http://${host.includes(":") ? `[${host}]` : host}:${actual}` };
}

/** Stops listening and closes every connection, keep-alive ones too. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
