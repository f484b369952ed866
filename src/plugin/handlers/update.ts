import type { CheckedInputs } from "../../provider/inputs";
import { update as updateProvider } from "../../provider/update";
import { RESOURCE_OUTPUTS, secretProps } from "../json-schemas";
import { previewOutputs } from "../preview-outputs";
import { provider } from "../proto";
import type { Rpc } from "../unary";
import { fromStruct, toStruct } from "../wire-values";

/** Update: the dynamic resource's upsert of the declared content. In a preview nothing is sent. */
export const update: Rpc<provider.UpdateRequest, provider.UpdateResponse> = {
  structs: (request) => [request.getOlds(), request.getOldInputs(), request.getNews()],
  async handle(request) {
    const { props, secretKeys } = fromStruct(request.getNews());
    const response = new provider.UpdateResponse();
    if (request.getPreview()) {
      response.setProperties(toStruct(secretProps(previewOutputs(props), RESOURCE_OUTPUTS, secretKeys)));
      return response;
    }
    // The engine sends what Check returned; `update` validates it as state before any request.
    const olds = fromStruct(request.getOlds()).props;
    const { outs } = await updateProvider(request.getId(), olds, props as unknown as CheckedInputs);
    response.setProperties(toStruct(secretProps(outs ?? {}, RESOURCE_OUTPUTS, secretKeys)));
    return response;
  },
};
