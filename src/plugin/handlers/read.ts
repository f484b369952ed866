import { read as readProvider } from "../../provider/read";
import { provider } from "../proto";
import { inputsStruct, outputsStruct } from "../resource-props";
import type { Rpc } from "../unary";
import { fromStruct, type Props } from "../wire-values";

// TODO(reads): replaced by the function of src/provider/outputs.ts once merged.
function inputsOfOutputs(outputs: Props): Props {
  const { authType: _a, username: _u, ...inputs } = outputs;
  return inputs;
}

/**
 * Read: the dynamic resource's read. A refresh (id and state) gets the outputs as the API holds them
 * now and the inputs they imply, or an empty id when the provider is gone; an import (the id
 * `<botId>/<name>` alone) gets the full outputs and inputs read from the API.
 */
export const read: Rpc<provider.ReadRequest, provider.ReadResponse> = {
  structs: (request) => [request.getProperties(), request.getInputs()],
  async handle(request) {
    const state = fromStruct(request.getProperties());
    const secretKeys = new Set([...state.secretKeys, ...fromStruct(request.getInputs()).secretKeys]);
    const result = await readProvider(request.getId(), state.props);
    const response = new provider.ReadResponse();
    const id = result.id ?? "";
    response.setId(id);
    if (id === "") return response;
    const outputs = result.props as Props;
    response.setProperties(outputsStruct(outputs, secretKeys));
    response.setInputs(inputsStruct(inputsOfOutputs(outputs), secretKeys));
    return response;
  },
};
