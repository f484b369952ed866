// A `google.protobuf.Struct` written straight to its wire bytes. google-protobuf's
// `Struct.fromJavaScript` makes several message objects per value and its writer keeps a block
// per nested message: about 20 KB per listed provider, 3.6 GB for a 61 MB list. Here a value
// costs its bytes, plus one number per object or array while the bytes are written.

import { StructTag, varintSize, writeTag } from "./protobuf-wire";

type Plain = null | boolean | number | string | Plain[] | PlainStruct;
type PlainStruct = { [key: string]: Plain | undefined };

const {
  FIELDS: STRUCT_FIELDS,
  ENTRY_KEY,
  ENTRY_VALUE,
  NULL_VALUE,
  NUMBER_VALUE,
  STRING_VALUE,
  BOOL_VALUE,
  STRUCT_VALUE,
  LIST_VALUE,
  LIST_VALUES,
} = StructTag;

/** A length-delimited field of `size` bytes, tag included. */
const delimitedSize = (size: number) => 1 + varintSize(size) + size;

const entries = (object: PlainStruct) =>
  Object.entries(object).filter((entry): entry is [string, Plain] => entry[1] !== undefined);

/**
 * Sizes first, then one buffer written front to back. The size of each object and array is kept
 * in the order the writing meets them (a parent before its children), in one array of numbers.
 */
class StructEncoder {
  private readonly sizes: number[] = [];
  private next = 0;
  private buffer = Buffer.alloc(0);
  private offset = 0;

  encode(struct: PlainStruct): Uint8Array {
    this.buffer = Buffer.allocUnsafe(this.measureContainer(struct));
    this.writeContainer(struct);
    return this.buffer;
  }

  /** The size of the Value message of `value`; the sizes of the objects and arrays in it are kept. */
  private measure(value: Plain): number {
    if (value === null || typeof value !== "object") return this.scalarSize(value);
    return delimitedSize(this.measureContainer(value));
  }

  private measureContainer(value: PlainStruct | Plain[]): number {
    const index = this.sizes.push(0) - 1;
    let size = 0;
    if (Array.isArray(value)) {
      for (const item of value) size += delimitedSize(this.measure(item ?? null));
    } else {
      for (const [key, item] of entries(value)) {
        size += delimitedSize(delimitedSize(Buffer.byteLength(key)) + delimitedSize(this.measure(item)));
      }
    }
    this.sizes[index] = size;
    return size;
  }

  private scalarSize(value: Exclude<Plain, object> | null): number {
    if (value === null || typeof value === "boolean") return 2;
    if (typeof value === "number") return 9;
    if (typeof value === "string") return delimitedSize(Buffer.byteLength(value));
    throw new TypeError(`a Struct cannot hold a ${typeof value}`);
  }

  /** The size of the Value message of `value`, which is written next. */
  private sizeOfNext(value: Plain): number {
    if (value === null || typeof value !== "object") return this.scalarSize(value);
    return delimitedSize(this.sizes[this.next] ?? 0);
  }

  /** A Struct's or a ListValue's fields; its size was taken by whoever wrote its length. */
  private writeContainer(value: PlainStruct | Plain[]): void {
    this.next++;
    if (Array.isArray(value)) {
      for (const item of value) {
        this.tag(LIST_VALUES, this.sizeOfNext(item ?? null));
        this.writeValue(item ?? null);
      }
      return;
    }
    for (const [key, item] of entries(value)) {
      const keySize = Buffer.byteLength(key);
      const valueSize = this.sizeOfNext(item);
      this.tag(STRUCT_FIELDS, delimitedSize(keySize) + delimitedSize(valueSize));
      this.tag(ENTRY_KEY, keySize);
      this.offset += this.buffer.write(key, this.offset, "utf8");
      this.tag(ENTRY_VALUE, valueSize);
      this.writeValue(item);
    }
  }

  private writeValue(value: Plain): void {
    if (value === null || typeof value === "boolean") {
      this.tag(value === null ? NULL_VALUE : BOOL_VALUE, value === true ? 1 : 0);
    } else if (typeof value === "number") {
      this.buffer[this.offset++] = NUMBER_VALUE;
      this.offset = this.buffer.writeDoubleLE(value, this.offset);
    } else if (typeof value === "string") {
      this.tag(STRING_VALUE, Buffer.byteLength(value));
      this.offset += this.buffer.write(value, this.offset, "utf8");
    } else {
      this.tag(Array.isArray(value) ? LIST_VALUE : STRUCT_VALUE, this.sizes[this.next] ?? 0);
      this.writeContainer(value);
    }
  }

  private tag(tag: number, n: number): void {
    this.offset = writeTag(this.buffer, this.offset, tag, n);
  }
}

/**
 * The wire bytes of the `google.protobuf.Struct` of `props` (values JSON-like; undefined
 * properties left out and undefined items written as null).
 */
export function structBytes(props: Record<string, unknown>): Uint8Array {
  return new StructEncoder().encode(props as PlainStruct);
}
