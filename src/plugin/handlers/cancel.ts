import { Empty } from "../proto";
import type { Rpc } from "../unary";

/**
 * Cancel (the engine's Ctrl-C, and its shutdown of the plugin): aborts `controller`, which every
 * operation of the process honours (`cancelOperationsOn`), then answers. The operations in flight
 * end on their own, at once, each with an `ERR_WHATSAPP_CANCELLED` error; later ones send nothing.
 */
export function cancel(controller: AbortController): Rpc<Empty, Empty> {
  return {
    async handle() {
      controller.abort();
      return new Empty();
    },
  };
}
