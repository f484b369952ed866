import { type handleUnaryCall, status, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { undici } from "../utils/undici";
import { service } from "./proto";

type Implementation = UntypedServiceImplementation;
type UnaryHandler = handleUnaryCall<unknown, unknown>;

let implementation: Implementation | undefined;

/**
 * The plugin's methods (service.ts and all it imports: the provider, the client, zod and the
 * schemas), loaded once, on first use. Required here rather than imported so that the server can
 * bind and print its port before they load: the engine waits for that line at every command.
 */
function loaded(): Implementation {
  implementation ??= (require("./service") as typeof import("./service")).resourceProviderService();
  return implementation;
}

/**
 * Loads the methods and undici (which the first request would otherwise load) now: called once the
 * port is printed, while the engine is still starting, so that the first call does not wait for it.
 * A failure is left to that first call to report, as its gRPC status.
 */
export function preloadImplementation(): void {
  setImmediate(() => {
    try {
      loaded();
      undici();
    } catch {
      // Reported by the first call, whose handler loads again.
    }
  });
}

/**
 * Every unary method of `pulumirpc.ResourceProvider`, each handing its call to the loaded
 * implementation, or answering UNIMPLEMENTED (as grpc-js does for a method without a handler)
 * when the implementation leaves it out. Streaming methods get no handler, so grpc-js answers them.
 */
export function deferredService(): Implementation {
  const unary = Object.entries(service.ResourceProviderService).filter(
    ([, method]) => !method.requestStream && !method.responseStream,
  );
  return Object.fromEntries(
    unary.map(([name, method]) => {
      const handler: UnaryHandler = (call, callback) => {
        let handle: UnaryHandler | undefined;
        try {
          handle = loaded()[name] as UnaryHandler | undefined;
        } catch (error) {
          callback({ code: status.INTERNAL, details: `the whatsapp plugin cannot load: ${String(error)}` });
          return;
        }
        if (handle) handle(call, callback);
        else
          callback({
            code: status.UNIMPLEMENTED,
            details: `The server does not implement the method ${method.path}`,
          });
      };
      return [name, handler];
    }),
  );
}
