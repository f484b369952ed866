import { deleteProvider } from "../../provider/delete";
import { Empty, type provider } from "../proto";
import type { Rpc } from "../unary";
import { fromStruct } from "../wire-values";

/** Delete: the dynamic resource's delete of the provider named in the state (gone already is fine). */
export const deleteResource: Rpc<provider.DeleteRequest, Empty> = {
  structs: (request) => [request.getProperties(), request.getOldInputs()],
  async handle(request) {
    await deleteProvider(request.getId(), fromStruct(request.getProperties()).props);
    return new Empty();
  },
};
