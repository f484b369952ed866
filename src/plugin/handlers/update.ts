import { update as updateProvider } from "../../provider/update";
import { provider } from "../proto";
import type { Rpc } from "../unary";
import { fromStruct } from "../wire-values";
import { writeOutputs } from "../write-outputs";

/**
 * Update: the dynamic resource's upsert of the declared content (`update` validates the inputs as
 * state before any request). In a preview nothing is sent.
 */
export const update: Rpc<provider.UpdateRequest, provider.UpdateResponse> = {
  structs: (request) => [request.getOlds(), request.getOldInputs(), request.getNews()],
  async handle(request) {
    const olds = fromStruct(request.getOlds()).props;
    const received = fromStruct(request.getNews());
    const outputs = await writeOutputs(received, request.getPreview(), async (inputs) => {
      const { outs } = await updateProvider(request.getId(), olds, inputs);
      return { ...outs };
    });
    return new provider.UpdateResponse().setProperties(outputs);
  },
};
