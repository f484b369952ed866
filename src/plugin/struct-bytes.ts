// A `google.protobuf.Struct` written straight to its wire bytes. google-protobuf's
// `Struct.fromJavaScript` makes several message objects per value and its writer keeps a block
// per nested message: about 20 KB per listed provider, 3.6 GB for a 61 MB list. Here a value
// costs its bytes, plus one cached size per object or array while the bytes are written.

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain | undefined };

// Field tags (field number << 3 | wire type) of struct.proto.
const STRUCT_FIELDS = 0x0a; // Struct.fields: map entries, each { key = 1, value = 2 }
const ENTRY_KEY = 0x0a;
const ENTRY_VALUE = 0x12;
const NULL_VALUE = 0x08;
const NUMBER_VALUE = 0x11;
const STRING_VALUE = 0x1a;
const BOOL_VALUE = 0x20;
const STRUCT_VALUE = 0x2a;
const LIST_VALUE = 0x32;
const LIST_VALUES = 0x0a; // ListValue.values

function varintSize(n: number): number {
  let size = 1;
  for (let rest = n; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

/** Writes `tag` and the varint `n` (a length, an enum or a bool) at `offset`; the offset after them. */
function writeTag(buffer: Buffer, offset: number, tag: number, n: number): number {
  let at = offset;
  buffer[at++] = tag;
  let rest = n;
  while (rest >= 0x80) {
    buffer[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  buffer[at++] = rest;
  return at;
}

/** A length-delimited field of `size` bytes, tag included. */
const delimitedSize = (size: number) => 1 + varintSize(size) + size;

const entries = (object: { [key: string]: Plain | undefined }) =>
  Object.entries(object).filter((entry): entry is [string, Plain] => entry[1] !== undefined);

/** Sizes first (each object's and array's kept for the second pass), then one buffer written front to back. */
class StructEncoder {
  private readonly sizes = new Map<object, number>();
  private buffer = Buffer.alloc(0);
  private offset = 0;

  encode(struct: { [key: string]: Plain | undefined }): Uint8Array {
    this.buffer = Buffer.allocUnsafe(this.structSize(struct));
    this.offset = 0;
    this.writeStruct(struct);
    return this.buffer;
  }

  private valueSize(value: Plain): number {
    if (value === null) return 2;
    if (typeof value === "boolean") return 2;
    if (typeof value === "number") return 9;
    if (typeof value === "string") return delimitedSize(Buffer.byteLength(value));
    if (Array.isArray(value)) return delimitedSize(this.listSize(value));
    if (typeof value === "object") return delimitedSize(this.structSize(value));
    throw new TypeError(`a Struct cannot hold a ${typeof value}`);
  }

  private structSize(struct: { [key: string]: Plain | undefined }): number {
    const known = this.sizes.get(struct);
    if (known !== undefined) return known;
    let size = 0;
    for (const [key, value] of entries(struct)) {
      size += delimitedSize(delimitedSize(Buffer.byteLength(key)) + delimitedSize(this.valueSize(value)));
    }
    this.sizes.set(struct, size);
    return size;
  }

  private listSize(list: Plain[]): number {
    const known = this.sizes.get(list);
    if (known !== undefined) return known;
    let size = 0;
    for (const item of list) size += delimitedSize(this.valueSize(item ?? null));
    this.sizes.set(list, size);
    return size;
  }

  private writeStruct(struct: { [key: string]: Plain | undefined }): void {
    for (const [key, value] of entries(struct)) {
      const keySize = Buffer.byteLength(key);
      const valueSize = this.valueSize(value);
      this.tag(STRUCT_FIELDS, delimitedSize(keySize) + delimitedSize(valueSize));
      this.tag(ENTRY_KEY, keySize);
      this.offset += this.buffer.write(key, this.offset, "utf8");
      this.tag(ENTRY_VALUE, valueSize);
      this.writeValue(value);
    }
  }

  private writeValue(value: Plain): void {
    if (value === null) return this.tag(NULL_VALUE, 0);
    if (typeof value === "boolean") return this.tag(BOOL_VALUE, value ? 1 : 0);
    if (typeof value === "number") {
      this.buffer[this.offset++] = NUMBER_VALUE;
      this.offset = this.buffer.writeDoubleLE(value, this.offset);
      return;
    }
    if (typeof value === "string") {
      this.tag(STRING_VALUE, Buffer.byteLength(value));
      this.offset += this.buffer.write(value, this.offset, "utf8");
      return;
    }
    if (Array.isArray(value)) {
      this.tag(LIST_VALUE, this.listSize(value));
      for (const item of value) {
        this.tag(LIST_VALUES, this.valueSize(item ?? null));
        this.writeValue(item ?? null);
      }
      return;
    }
    this.tag(STRUCT_VALUE, this.structSize(value));
    this.writeStruct(value);
  }

  private tag(tag: number, n: number): void {
    this.offset = writeTag(this.buffer, this.offset, tag, n);
  }
}

/**
 * The wire bytes of the `google.protobuf.Struct` of `props` (values JSON-like; undefined
 * properties left out and undefined items written as null, as `toStruct` does).
 */
export function structBytes(props: Record<string, unknown>): Uint8Array {
  return new StructEncoder().encode(props as { [key: string]: Plain | undefined });
}

/** The bytes of a message whose field `field` is the length-delimited `bytes` (an embedded message). */
export function messageField(field: number, bytes: Uint8Array): Uint8Array {
  const head = Buffer.allocUnsafe(1 + varintSize(bytes.length));
  writeTag(head, 0, (field << 3) | 2, bytes.length);
  return Buffer.concat([head, bytes]);
}
