import { status } from "@grpc/grpc-js";
import { getMediaProviders } from "../../provider/get-media-providers";
import { FUNCTION_RESULT, wrapSecrets } from "../json-schemas";
import { FUNCTION_TOKEN } from "../package-schema";
import { provider, Struct } from "../proto";
import { MessageWriter } from "../protobuf-writer";
import { RpcRefusal } from "../rpc-error";
import { structBytes } from "../struct-bytes";
import type { Rpc } from "../unary";
import { fromStruct, type Props } from "../wire-values";

/** `InvokeResponse.return`'s field number. */
const RETURN_FIELD = 1;

/**
 * An InvokeResponse whose `return` is already encoded (see `struct-bytes.ts`): a list of many
 * providers as google-protobuf objects takes some 20 KB a provider. grpc-js sends what
 * `serializeBinary` gives; `getReturn` decodes the bytes for a reader in this process.
 */
class EncodedInvokeResponse extends provider.InvokeResponse {
  constructor(private readonly returned: Uint8Array) {
    super();
  }

  override serializeBinary(): Uint8Array {
    return new MessageWriter().message(RETURN_FIELD, this.returned).bytes();
  }

  override getReturn(): Struct {
    return Struct.deserializeBinary(this.returned);
  }
}

/**
 * Invoke: `whatsapp:index:getMediaProviders`, the listing the program-side function makes too (one
 * request; the arguments default to the provider's config), with every listed provider's
 * credentials wrapped as secrets.
 */
export const invoke: Rpc<provider.InvokeRequest, provider.InvokeResponse> = {
  bags: (request) => [request.getArgs()?.toJavaScript()],
  async handle(request) {
    if (request.getTok() !== FUNCTION_TOKEN) {
      throw new RpcRefusal(
        status.INVALID_ARGUMENT,
        `unknown function ${request.getTok()}: the whatsapp plugin has only ${FUNCTION_TOKEN}`,
      );
    }
    const result = await getMediaProviders(fromStruct(request.getArgs()).props);
    return new EncodedInvokeResponse(
      structBytes(wrapSecrets(result, FUNCTION_RESULT, FUNCTION_RESULT) as Props),
    );
  },
};
