import {
  type handleUnaryCall,
  type ServiceDefinition,
  status,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { undici } from "../utils/undici";

type Implementation = UntypedServiceImplementation;
type UnaryHandler = handleUnaryCall<unknown, unknown>;

let implementation: Promise<Implementation> | undefined;

/**
 * The plugin's methods (service.ts and all it imports: the provider, the client, zod and the
 * schemas), loaded once, on first use: one implementation per process, as its Cancel requires. Imported here rather than at the top so that the server can
 * bind and print its port before they load: the engine waits for that line at every command.
 */
function loaded(): Promise<Implementation> {
  implementation ??= import("./service").then((module) => module.resourceProviderService());
  return implementation;
}

/**
 * Loads the methods and undici (which the first request would otherwise load) now, and warms them
 * up (warm-up.ts): called once the port is printed, while the engine is still starting, so that the
 * first call does not wait for them.
 * A failure to load is left to the calls to report, as their gRPC status.
 */
export function preloadImplementation(): void {
  setImmediate(() => {
    loaded()
      .then(() => {
        undici();
        return import("./warm-up");
      })
      .then((module) => module.warmUp())
      // A failure to load is reported by every call; a warm-up that fails costs the first calls time only.
      .catch(() => {});
  });
}

/**
 * Every unary method of `definition` (`pulumirpc.ResourceProvider`), each handing its call to the loaded
 * implementation, or answering UNIMPLEMENTED (as grpc-js does for a method without a handler)
 * when the implementation leaves it out. Streaming methods get no handler, so grpc-js answers them.
 */
export function deferredService(definition: ServiceDefinition): Implementation {
  const unary = Object.entries(definition).filter(
    ([, method]) => !method.requestStream && !method.responseStream,
  );
  return Object.fromEntries(
    unary.map(([name, method]) => {
      const handler: UnaryHandler = (call, callback) => {
        loaded().then(
          (methods) => {
            const handle = methods[name] as UnaryHandler | undefined;
            if (handle) handle(call, callback);
            else {
              callback({
                code: status.UNIMPLEMENTED,
                details: `The server does not implement the method ${method.path}`,
              });
            }
          },
          (error: unknown) =>
            callback({
              code: status.INTERNAL,
              details: `internal error in the whatsapp plugin: cannot load its methods: ${String(error)}`,
            }),
        );
      };
      return [name, handler];
    }),
  );
}
