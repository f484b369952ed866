import { readStruct, type StructObject, WireReader } from "./protobuf-reader";
import { WireType } from "./protobuf-wire";

/** How one field is read into a message: its wire type, and what to do with it. */
type FieldReader<T> = readonly [wireType: number, read: (reader: WireReader, message: T) => void];

/** The keys of `T` whose values are `V`. */
type KeysOf<T, V> = { [K in keyof T]-?: [T[K]] extends [V] ? K : never }[keyof T];

/** The readers of `T`'s fields, each naming the key it sets. */
function fieldReaders<T>() {
  const set = (message: T, key: keyof T, value: unknown) => {
    (message as Record<keyof T, unknown>)[key] = value;
  };
  return {
    string: (key: KeysOf<T, string>): FieldReader<T> => [
      WireType.DELIMITED,
      (r, m) => set(m, key, r.string()),
    ],
    strings: (key: KeysOf<T, string[]>): FieldReader<T> => [
      WireType.DELIMITED,
      (r, m) => (m[key] as string[]).push(r.string()),
    ],
    bytes: (key: KeysOf<T, Uint8Array>): FieldReader<T> => [
      WireType.DELIMITED,
      (r, m) => set(m, key, r.bytesField()),
    ],
    bool: (key: KeysOf<T, boolean>): FieldReader<T> => [
      WireType.VARINT,
      (r, m) => set(m, key, r.varint() !== 0),
    ],
    struct: (key: KeysOf<T, StructObject | undefined>): FieldReader<T> => [
      WireType.DELIMITED,
      (r, m) => set(m, key, readStruct(r)),
    ],
  };
}

/**
 * A decoder of one message: `initial` gives its defaults (proto3's: "", false, empty lists, no
 * Struct), `fields` the fields it reads by number. Fields it does not name, or whose wire type is
 * not the one it reads, are passed over, as any protobuf reader passes over fields newer than it.
 */
export function messageReader<T>(
  initial: () => T,
  fields: (f: ReturnType<typeof fieldReaders<T>>) => Record<number, FieldReader<T>>,
): (bytes: Buffer) => T {
  const byNumber = fields(fieldReaders<T>());
  return (bytes) => {
    const message = initial();
    const reader = new WireReader(bytes);
    while (reader.at < reader.end) {
      const tag = reader.varint();
      const field = byNumber[Math.floor(tag / 8)];
      if (field !== undefined && field[0] === tag % 8) field[1](reader, message);
      else reader.skip(tag % 8);
    }
    return message;
  };
}
