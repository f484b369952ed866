import { Server, ServerCredentials } from "@grpc/grpc-js";
import { deferredService } from "./deferred-service";
import { resourceProviderDefinition } from "./service-definition";

/** A running plugin server. */
export interface PluginServer {
  /** The loopback port the engine connects to. */
  port: number;
  /** Stops accepting calls and ends those in flight. */
  stop(): void;
}

// Property bags of thousands of providers exceed grpc-js's default 4 MiB; the engine allows 400 MiB.
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/**
 * Serves `pulumirpc.ResourceProvider` on 127.0.0.1, on a port the system picks; the methods load on
 * first use (see deferred-service.ts).
 */
export function startPluginServer(): Promise<PluginServer> {
  const server = new Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  const definition = resourceProviderDefinition();
  server.addService(definition, deferredService(definition));
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, port) => {
      if (error) reject(error);
      else resolve({ port, stop: () => server.forceShutdown() });
    });
  });
}
