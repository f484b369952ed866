import { update as updateProvider } from "../../provider/update";
import type { UpdateRequest, UpdateResponse } from "../resource-messages";
import type { Rpc } from "../unary";
import { received } from "../wire-values";
import { writeOutputs } from "../write-outputs";

/**
 * Update: the dynamic resource's upsert of the declared content (`update` validates the inputs as
 * state before any request). In a preview nothing is sent.
 */
export const update: Rpc<UpdateRequest, UpdateResponse> = {
  bags: (request) => [request.olds, request.oldInputs, request.news],
  async handle(request) {
    const olds = received(request.olds).props;
    const properties = await writeOutputs(received(request.news), request.preview, async (inputs) => {
      const { outs } = await updateProvider(request.id, olds, inputs);
      return { ...outs };
    });
    return { properties };
  },
};
