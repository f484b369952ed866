// The protobuf wire format's pieces that the plugin's own readers and writers share
// (protobuf-reader.ts, protobuf-writer.ts, struct-bytes.ts).

/** Wire types: the low 3 bits of a tag. */
export const WireType = { VARINT: 0, FIXED64: 1, DELIMITED: 2, FIXED32: 5 } as const;

/** Tags (field number << 3 | wire type) of struct.proto's messages. */
export const StructTag = {
  /** Struct.fields: map entries, each { key = 1, value = 2 }. */
  FIELDS: 0x0a,
  ENTRY_KEY: 0x0a,
  ENTRY_VALUE: 0x12,
  NULL_VALUE: 0x08,
  NUMBER_VALUE: 0x11,
  STRING_VALUE: 0x1a,
  BOOL_VALUE: 0x20,
  STRUCT_VALUE: 0x2a,
  LIST_VALUE: 0x32,
  /** ListValue.values. */
  LIST_VALUES: 0x0a,
} as const;

/** The bytes of the varint `n`. */
export function varintSize(n: number): number {
  let size = 1;
  for (let rest = n; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

/** Writes `tag` and the varint `n` (a length, an enum or a bool) at `offset`; the offset after them. */
export function writeTag(buffer: Buffer, offset: number, tag: number, n: number): number {
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
