import { create as createProvider } from "../../provider/create";
import { provider } from "../proto";
import type { Rpc } from "../unary";
import { fromStruct } from "../wire-values";
import { writeOutputs } from "../write-outputs";

/**
 * Create: the dynamic resource's create of the checked inputs (looked up first, adopted or
 * refused when the name exists). In a preview nothing is sent: the outputs are the inputs.
 */
export const create: Rpc<provider.CreateRequest, provider.CreateResponse> = {
  structs: (request) => [request.getProperties()],
  async handle(request) {
    const response = new provider.CreateResponse();
    const received = fromStruct(request.getProperties());
    const outputs = await writeOutputs(received, request.getPreview(), async (inputs) => {
      const { id, outs } = await createProvider(inputs);
      response.setId(id);
      return { ...outs };
    });
    return response.setProperties(outputs);
  },
};
