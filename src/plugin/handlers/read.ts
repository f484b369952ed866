import { inputsOf, type Outputs } from "../../provider/outputs";
import { read as readProvider } from "../../provider/read";
import type { ReadRequest, ReadResponse } from "../resource-messages";
import { inputsProps, outputsProps } from "../resource-props";
import type { Rpc } from "../unary";
import { received } from "../wire-values";

/**
 * Read: the dynamic resource's read. A refresh (id and state) gets the outputs as the API holds them
 * now and the inputs they imply, or an empty id when the provider is gone; an import (the id
 * `<botId>/<name>` alone) gets the full outputs and inputs read from the API, and fails with
 * ERR_WHATSAPP_NOT_FOUND when the bot does not hold it.
 */
export const read: Rpc<ReadRequest, ReadResponse> = {
  bags: (request) => [request.properties, request.inputs],
  async handle(request) {
    const state = received(request.properties);
    const secretKeys = new Set([...state.secretKeys, ...received(request.inputs).secretKeys]);
    const result = await readProvider(request.id, state.props);
    const id = result.id ?? "";
    if (id === "") return { id };
    const outputs = result.props as Outputs;
    return {
      id,
      properties: outputsProps({ ...outputs }, secretKeys),
      inputs: inputsProps({ ...inputsOf(outputs) }, secretKeys),
    };
  },
};
