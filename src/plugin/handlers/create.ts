import { create as createProvider } from "../../provider/create";
import type { CheckedInputs } from "../../provider/inputs";
import { RESOURCE_OUTPUTS, secretProps } from "../json-schemas";
import { previewOutputs } from "../preview-outputs";
import { provider } from "../proto";
import type { Rpc } from "../unary";
import { fromStruct, toStruct } from "../wire-values";

/**
 * Create: the dynamic resource's create of the checked inputs (looked up first, adopted or
 * refused when the name exists). In a preview nothing is sent: the outputs are the inputs.
 */
export const create: Rpc<provider.CreateRequest, provider.CreateResponse> = {
  structs: (request) => [request.getProperties()],
  async handle(request) {
    const { props, secretKeys } = fromStruct(request.getProperties());
    const response = new provider.CreateResponse();
    if (request.getPreview()) {
      response.setProperties(toStruct(secretProps(previewOutputs(props), RESOURCE_OUTPUTS, secretKeys)));
      return response;
    }
    // The engine sends what Check returned: the inputs `check` validated and completed.
    const { id, outs } = await createProvider(props as unknown as CheckedInputs);
    response.setId(id);
    response.setProperties(toStruct(secretProps(outs, RESOURCE_OUTPUTS, secretKeys)));
    return response;
  },
};
