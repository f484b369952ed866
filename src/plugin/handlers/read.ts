import { inputsOf, type Outputs } from "../../provider/outputs";
import { read as readProvider } from "../../provider/read";
import { provider } from "../proto";
import { inputsStruct, outputsStruct } from "../resource-props";
import type { Rpc } from "../unary";
import { fromStruct } from "../wire-values";

/**
 * Read: the dynamic resource's read. A refresh (id and state) gets the outputs as the API holds them
 * now and the inputs they imply, or an empty id when the provider is gone; an import (the id
 * `<botId>/<name>` alone) gets the full outputs and inputs read from the API, and fails with
 * ERR_WHATSAPP_NOT_FOUND when the bot does not hold it.
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
    const outputs = result.props as Outputs;
    response.setProperties(outputsStruct({ ...outputs }, secretKeys));
    response.setInputs(inputsStruct({ ...inputsOf(outputs) }, secretKeys));
    return response;
  },
};
