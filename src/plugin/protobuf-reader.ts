// Protobuf wire bytes read straight into plain values: the resource calls' requests (see
// resource-messages.ts) and the `google.protobuf.Struct`s in them. google-protobuf makes a message
// object per Struct value and `toJavaScript` copies them again; at a thousand calls a second that
// decoding was the plugin's largest cost after undici's.

import { StructTag, WireType } from "./protobuf-wire";

/** Property values as a Struct holds them. */
export type StructValue = null | boolean | number | string | StructValue[] | StructObject;
/** A `google.protobuf.Struct` as `Struct.toJavaScript()` gives it. */
export type StructObject = { [key: string]: StructValue };

/**
 * Bytes a request's decoder could not read, a fault of the protocol like `RpcRefusal`: grpc-js fails
 * the call with INTERNAL and this message.
 */
export class MalformedMessageError extends Error {
  constructor(what: string) {
    super(`the engine's message cannot be read: ${what}`);
    this.name = "MalformedMessageError";
  }
}

const { VARINT, FIXED64, DELIMITED, FIXED32 } = WireType;

/** A cursor over protobuf wire bytes. */
export class WireReader {
  /** Where the next read starts. */
  at = 0;
  /** Where the message ends. */
  readonly end: number;

  constructor(private readonly bytes: Buffer) {
    this.end = bytes.length;
  }

  /** A varint (tags, lengths, enums, bools), exact up to 2^53. */
  varint(): number {
    let value = 0;
    let scale = 1;
    let byte: number;
    do {
      if (this.at >= this.end) throw new MalformedMessageError("a varint runs past the end");
      byte = this.bytes[this.at++] as number;
      value += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte >= 0x80);
    return value;
  }

  /** Reads a length and returns where that many bytes, starting here, end. */
  delimitedEnd(): number {
    const length = this.varint();
    const end = this.at + length;
    if (end > this.end) throw new MalformedMessageError("a field runs past the end");
    return end;
  }

  string(): string {
    const end = this.delimitedEnd();
    const text = this.bytes.toString("utf8", this.at, end);
    this.at = end;
    return text;
  }

  /** A copy: the request's buffer is not kept. */
  bytesField(): Uint8Array {
    const end = this.delimitedEnd();
    const copy = new Uint8Array(this.bytes.subarray(this.at, end));
    this.at = end;
    return copy;
  }

  double(): number {
    if (this.at + 8 > this.end) throw new MalformedMessageError("a double runs past the end");
    const value = this.bytes.readDoubleLE(this.at);
    this.at += 8;
    return value;
  }

  /** Passes over a field this reader does not use. */
  skip(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === FIXED64) this.at += 8;
    else if (wireType === DELIMITED) this.at = this.delimitedEnd();
    else if (wireType === FIXED32) this.at += 4;
    else throw new MalformedMessageError(`unknown wire type ${wireType}`);
    if (this.at > this.end) throw new MalformedMessageError("a field runs past the end");
  }
}

/** No kind set: google-protobuf's `Value.toJavaScript` throws for it too. */
const NO_KIND = Symbol("no kind");

/** A Value message ending at `end`: its kind (the last one set, as for any oneof). */
function readValue(reader: WireReader, end: number): StructValue {
  let value: StructValue | typeof NO_KIND = NO_KIND;
  while (reader.at < end) {
    const tag = reader.varint();
    if (tag === StructTag.STRING_VALUE) value = reader.string();
    else if (tag === StructTag.NUMBER_VALUE) value = reader.double();
    else if (tag === StructTag.BOOL_VALUE) value = reader.varint() !== 0;
    else if (tag === StructTag.NULL_VALUE) {
      reader.varint();
      value = null;
    } else if (tag === StructTag.STRUCT_VALUE) value = readStructUntil(reader, reader.delimitedEnd());
    else if (tag === StructTag.LIST_VALUE) value = readListUntil(reader, reader.delimitedEnd());
    else reader.skip(tag & 7);
  }
  if (value === NO_KIND) throw new MalformedMessageError("a Struct value has no kind");
  return value;
}

function readListUntil(reader: WireReader, end: number): StructValue[] {
  const items: StructValue[] = [];
  while (reader.at < end) {
    const tag = reader.varint();
    if (tag === StructTag.LIST_VALUES) items.push(readValue(reader, reader.delimitedEnd()));
    else reader.skip(tag & 7);
  }
  return items;
}

/** One `fields` map entry; a key seen twice keeps its last value, as google-protobuf's map does. */
function readEntry(reader: WireReader, end: number, into: StructObject): void {
  let key = "";
  let value: StructValue | typeof NO_KIND = NO_KIND;
  while (reader.at < end) {
    const tag = reader.varint();
    if (tag === StructTag.ENTRY_KEY) key = reader.string();
    else if (tag === StructTag.ENTRY_VALUE) value = readValue(reader, reader.delimitedEnd());
    else reader.skip(tag & 7);
  }
  if (value === NO_KIND)
    throw new MalformedMessageError(`the Struct field ${JSON.stringify(key)} has no value`);
  into[key] = value;
}

function readStructUntil(reader: WireReader, end: number): StructObject {
  const struct: StructObject = {};
  while (reader.at < end) {
    const tag = reader.varint();
    if (tag === StructTag.FIELDS) readEntry(reader, reader.delimitedEnd(), struct);
    else reader.skip(tag & 7);
  }
  return struct;
}

/** The length-delimited Struct field the reader is at, as `Struct.toJavaScript()` gives it. */
export function readStruct(reader: WireReader): StructObject {
  return readStructUntil(reader, reader.delimitedEnd());
}
