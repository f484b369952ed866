import type { ServiceDefinition } from "@grpc/grpc-js";
import { service } from "./proto";
import {
  readCheckRequest,
  readCreateRequest,
  readDeleteRequest,
  readDiffRequest,
  readReadRequest,
  readUpdateRequest,
  writeCheckResponse,
  writeCreateResponse,
  writeDiffResponse,
  writeEmpty,
  writeReadResponse,
  writeUpdateResponse,
} from "./resource-messages";

/** How a resource call's request is read and its answer written (see resource-messages.ts). */
export interface WireCodec<Request, Response> {
  read(bytes: Buffer): Request;
  write(response: Response): Buffer;
}

const codec = <Request, Response>(
  read: (bytes: Buffer) => Request,
  write: (response: Response) => Buffer,
): WireCodec<Request, Response> => ({ read, write });

/**
 * The codecs of the resource calls and of CheckConfig and DiffConfig (the same messages as Check
 * and Diff), by the method names of the SDK's service definition.
 */
export const PLAIN_CODECS = {
  checkConfig: codec(readCheckRequest, writeCheckResponse),
  diffConfig: codec(readDiffRequest, writeDiffResponse),
  check: codec(readCheckRequest, writeCheckResponse),
  diff: codec(readDiffRequest, writeDiffResponse),
  create: codec(readCreateRequest, writeCreateResponse),
  read: codec(readReadRequest, writeReadResponse),
  update: codec(readUpdateRequest, writeUpdateResponse),
  delete: codec(readDeleteRequest, writeEmpty),
};

/**
 * `pulumirpc.ResourceProvider` as the SDK defines it (paths, and google-protobuf classes for the
 * calls the engine makes a few times per command), with the calls of `PLAIN_CODECS` read and
 * written by them: their handlers take and give plain values.
 */
export function resourceProviderDefinition(): ServiceDefinition {
  const codecs: Record<string, WireCodec<unknown, never>> = PLAIN_CODECS;
  return Object.fromEntries(
    Object.entries(service.ResourceProviderService).map(([name, method]) => {
      const codec = codecs[name];
      if (codec === undefined) return [name, method];
      // grpc-js hands the serializer what this method's handler answered: the codec's own type.
      const responseSerialize = codec.write as (response: unknown) => Buffer;
      return [name, { ...method, requestDeserialize: codec.read, responseSerialize }];
    }),
  );
}
