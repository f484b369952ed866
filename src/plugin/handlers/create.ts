import { create as createProvider } from "../../provider/create";
import type { CreateRequest, CreateResponse } from "../resource-messages";
import type { Rpc } from "../unary";
import { received } from "../wire-values";
import { writeOutputs } from "../write-outputs";

/**
 * Create: the dynamic resource's create of the checked inputs (looked up first, adopted or
 * refused when the name exists). In a preview nothing is sent: the outputs are the inputs.
 */
export const create: Rpc<CreateRequest, CreateResponse> = {
  bags: (request) => [request.properties],
  async handle(request) {
    let id = "";
    const properties = await writeOutputs(received(request.properties), request.preview, async (inputs) => {
      const created = await createProvider(inputs);
      id = created.id;
      return { ...created.outs };
    });
    return { id, properties };
  },
};
