import { status } from "@grpc/grpc-js";
import { getMediaProviders } from "../../provider/get-media-providers";
import { FUNCTION_RESULT, wrapSecrets } from "../json-schemas";
import { FUNCTION_TOKEN } from "../package-schema";
import { provider } from "../proto";
import { RpcRefusal } from "../rpc-error";
import type { Rpc } from "../unary";
import { fromStruct, type Props, toStruct } from "../wire-values";

/**
 * Invoke: `whatsapp:index:getMediaProviders`, the listing the program-side function makes too (one
 * request; the arguments default to the provider's config), with every listed provider's
 * credentials wrapped as secrets.
 */
export const invoke: Rpc<provider.InvokeRequest, provider.InvokeResponse> = {
  structs: (request) => [request.getArgs()],
  async handle(request) {
    if (request.getTok() !== FUNCTION_TOKEN) {
      throw new RpcRefusal(
        status.INVALID_ARGUMENT,
        `unknown function ${request.getTok()}: the whatsapp plugin has only ${FUNCTION_TOKEN}`,
      );
    }
    const result = await getMediaProviders(fromStruct(request.getArgs()).props);
    const response = new provider.InvokeResponse();
    return response.setReturn(toStruct(wrapSecrets(result, FUNCTION_RESULT, FUNCTION_RESULT) as Props));
  },
};
