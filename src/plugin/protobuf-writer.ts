import { varintSize, WireType, writeTag } from "./protobuf-wire";

/**
 * Writes a message's fields, in the order called, to wire bytes: the responses of the resource
 * calls (see resource-messages.ts), whose Structs come from `structBytes`. Proto3 leaves out a
 * scalar at its default, as google-protobuf's writer does. Field numbers below 16 only (one-byte tags).
 */
export class MessageWriter {
  private readonly parts: Uint8Array[] = [];

  /** A string field, left out when empty. */
  string(field: number, value: string): this {
    if (value !== "") this.delimited(field, Buffer.from(value));
    return this;
  }

  /** A repeated string field, every item written. */
  strings(field: number, values: readonly string[]): this {
    for (const value of values) this.delimited(field, Buffer.from(value));
    return this;
  }

  /** A bool field, left out when false. */
  bool(field: number, value: boolean): this {
    if (value) this.varint(field, 1);
    return this;
  }

  /** An enum field, left out at 0. */
  enum(field: number, value: number): this {
    if (value !== 0) this.varint(field, value);
    return this;
  }

  /** An embedded message's bytes; left out when there is none. */
  message(field: number, bytes: Uint8Array | undefined): this {
    if (bytes !== undefined) this.delimited(field, bytes);
    return this;
  }

  /** The message's bytes. */
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }

  private varint(field: number, n: number): void {
    const head = Buffer.allocUnsafe(1 + varintSize(n));
    writeTag(head, 0, (field << 3) | WireType.VARINT, n);
    this.parts.push(head);
  }

  private delimited(field: number, bytes: Uint8Array): void {
    const head = Buffer.allocUnsafe(1 + varintSize(bytes.length));
    writeTag(head, 0, (field << 3) | WireType.DELIMITED, bytes.length);
    this.parts.push(head, bytes);
  }
}
