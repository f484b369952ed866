// The messages of the resource calls (Check, Diff, Create, Read, Update, Delete) as plain values,
// read from and written to their wire bytes here rather than through the SDK's google-protobuf
// classes: the engine sends these a thousand at a time, and the classes' Struct conversion was
// most of the plugin's CPU after undici's (docs/performance.md). Field numbers: provider.proto
// (the SDK's provider_pb.js reads the same numbers); the fields the plugin does not use are passed over.

import { messageReader } from "./message-reader";
import type { StructObject } from "./protobuf-reader";
import { MessageWriter } from "./protobuf-writer";
import { structBytes } from "./struct-bytes";

/** A request's property bag: a Struct as `toJavaScript` gives it, absent when the engine sent none. */
export type Bag = StructObject | undefined;

/** pulumirpc.CheckRequest, the fields the plugin reads. */
export interface CheckRequest {
  urn: string;
  name: string;
  olds: Bag;
  news: Bag;
  randomSeed: Uint8Array;
}

/** pulumirpc.DiffRequest, the fields the plugin reads. */
export interface DiffRequest {
  id: string;
  urn: string;
  olds: Bag;
  news: Bag;
  oldInputs: Bag;
  ignoreChanges: string[];
}

/** pulumirpc.CreateRequest, the fields the plugin reads. */
export interface CreateRequest {
  urn: string;
  properties: Bag;
  preview: boolean;
}

/** pulumirpc.ReadRequest, the fields the plugin reads. */
export interface ReadRequest {
  id: string;
  urn: string;
  properties: Bag;
  inputs: Bag;
}

/** pulumirpc.UpdateRequest, the fields the plugin reads. */
export interface UpdateRequest {
  id: string;
  urn: string;
  olds: Bag;
  news: Bag;
  oldInputs: Bag;
  preview: boolean;
}

/** pulumirpc.DeleteRequest, the fields the plugin reads. */
export interface DeleteRequest {
  id: string;
  urn: string;
  properties: Bag;
  oldInputs: Bag;
}

const NO_BYTES = new Uint8Array(0);

export const readCheckRequest = messageReader<CheckRequest>(
  () => ({ urn: "", name: "", olds: undefined, news: undefined, randomSeed: NO_BYTES }),
  (f) => ({
    1: f.string("urn"),
    2: f.struct("olds"),
    3: f.struct("news"),
    5: f.bytes("randomSeed"),
    6: f.string("name"),
  }),
);

export const readDiffRequest = messageReader<DiffRequest>(
  () => ({ id: "", urn: "", olds: undefined, news: undefined, oldInputs: undefined, ignoreChanges: [] }),
  (f) => ({
    1: f.string("id"),
    2: f.string("urn"),
    3: f.struct("olds"),
    4: f.struct("news"),
    5: f.strings("ignoreChanges"),
    6: f.struct("oldInputs"),
  }),
);

export const readCreateRequest = messageReader<CreateRequest>(
  () => ({ urn: "", properties: undefined, preview: false }),
  (f) => ({ 1: f.string("urn"), 2: f.struct("properties"), 4: f.bool("preview") }),
);

export const readReadRequest = messageReader<ReadRequest>(
  () => ({ id: "", urn: "", properties: undefined, inputs: undefined }),
  (f) => ({ 1: f.string("id"), 2: f.string("urn"), 3: f.struct("properties"), 4: f.struct("inputs") }),
);

export const readUpdateRequest = messageReader<UpdateRequest>(
  () => ({ id: "", urn: "", olds: undefined, news: undefined, oldInputs: undefined, preview: false }),
  (f) => ({
    1: f.string("id"),
    2: f.string("urn"),
    3: f.struct("olds"),
    4: f.struct("news"),
    7: f.bool("preview"),
    8: f.struct("oldInputs"),
  }),
);

export const readDeleteRequest = messageReader<DeleteRequest>(
  () => ({ id: "", urn: "", properties: undefined, oldInputs: undefined }),
  (f) => ({ 1: f.string("id"), 2: f.string("urn"), 3: f.struct("properties"), 5: f.struct("oldInputs") }),
);

/** Property values for a response (secrets already in the engine's wire format; undefined left out). */
export type OutProps = Record<string, unknown>;

const struct = (props: OutProps | undefined) => (props === undefined ? undefined : structBytes(props));

/** pulumirpc.CheckResponse. */
export interface CheckResponse {
  inputs: OutProps;
  failures: { property: string; reason: string }[];
}

export function writeCheckResponse(response: CheckResponse): Buffer {
  const writer = new MessageWriter().message(1, struct(response.inputs));
  for (const { property, reason } of response.failures) {
    writer.message(2, new MessageWriter().string(1, property).string(2, reason).bytes());
  }
  return writer.bytes();
}

/** pulumirpc.PropertyDiff.Kind. */
export const DiffKind = {
  ADD: 0,
  ADD_REPLACE: 1,
  DELETE: 2,
  DELETE_REPLACE: 3,
  UPDATE: 4,
  UPDATE_REPLACE: 5,
} as const;
/** pulumirpc.DiffResponse.DiffChanges. */
export const DiffChanges = { DIFF_UNKNOWN: 0, DIFF_NONE: 1, DIFF_SOME: 2 } as const;

/** pulumirpc.DiffResponse: a detailed diff (no `stables`, never delete-before-replace). */
export interface DiffResponse {
  changes: (typeof DiffChanges)[keyof typeof DiffChanges];
  replaces: string[];
  diffs: string[];
  /** Each changed key's kind; every entry's `inputDiff` is false (state against inputs). */
  detailedDiff: [key: string, kind: (typeof DiffKind)[keyof typeof DiffKind]][];
}

export function writeDiffResponse(response: DiffResponse): Buffer {
  const writer = new MessageWriter()
    .strings(1, response.replaces)
    .enum(4, response.changes)
    .strings(5, response.diffs);
  for (const [key, kind] of response.detailedDiff) {
    const propertyDiff = new MessageWriter().enum(1, kind).bytes();
    writer.message(6, new MessageWriter().string(1, key).message(2, propertyDiff).bytes());
  }
  return writer.bool(7, true).bytes();
}

/** pulumirpc.CreateResponse. */
export interface CreateResponse {
  id: string;
  properties: OutProps;
}

export const writeCreateResponse = (response: CreateResponse): Buffer =>
  new MessageWriter().string(1, response.id).message(2, struct(response.properties)).bytes();

/** pulumirpc.ReadResponse: an empty id (and nothing else) when the resource is gone. */
export interface ReadResponse {
  id: string;
  properties?: OutProps;
  inputs?: OutProps;
}

export const writeReadResponse = (response: ReadResponse): Buffer =>
  new MessageWriter()
    .string(1, response.id)
    .message(2, struct(response.properties))
    .message(3, struct(response.inputs))
    .bytes();

/** pulumirpc.UpdateResponse. */
export interface UpdateResponse {
  properties: OutProps;
}

export const writeUpdateResponse = (response: UpdateResponse): Buffer =>
  new MessageWriter().message(1, struct(response.properties)).bytes();

/** google.protobuf.Empty, Delete's answer. */
export const writeEmpty = (): Buffer => Buffer.alloc(0);
