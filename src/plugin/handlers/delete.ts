import { deleteProvider } from "../../provider/delete";
import type { DeleteRequest } from "../resource-messages";
import type { Rpc } from "../unary";
import { received } from "../wire-values";

/** Delete: the dynamic resource's delete of the provider named in the state (gone already is fine). */
export const deleteResource: Rpc<DeleteRequest, void> = {
  bags: (request) => [request.properties, request.oldInputs],
  async handle(request) {
    await deleteProvider(request.id, received(request.properties).props);
  },
};
