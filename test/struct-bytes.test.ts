import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Struct } from "../src/plugin/proto";
import { structBytes } from "../src/plugin/struct-bytes";
import { toStruct } from "./support/struct";

// Plain JSON values, as a Struct holds them (numbers as doubles).
const json = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);
const props = fc.dictionary(fc.string(), json);

describe("structBytes", () => {
  it("writes what google-protobuf reads back as the same values", () => {
    fc.assert(
      fc.property(props, (value) => {
        // As google-protobuf's own Struct of them reads (whose toJavaScript turns a `__proto__` key into a prototype).
        expect(Struct.deserializeBinary(structBytes(value)).toJavaScript()).toEqual(
          toStruct(value).toJavaScript(),
        );
      }),
    );
  });

  it("is the bytes google-protobuf writes for the same values", () => {
    fc.assert(
      fc.property(props, (value) => {
        const ours = Struct.deserializeBinary(structBytes(value));
        expect(Buffer.from(ours.serializeBinary())).toEqual(Buffer.from(toStruct(value).serializeBinary()));
      }),
    );
  });

  it("leaves undefined properties out and writes undefined items as null, as toStruct does", () => {
    const value = { a: undefined, b: [1, undefined, "é ✓ 𝄞"], c: { d: undefined, e: true, f: null } };
    expect(Struct.deserializeBinary(structBytes(value)).toJavaScript()).toEqual(
      toStruct(value).toJavaScript(),
    );
  });

  it("writes lengths of more than one varint byte (strings of 128 bytes and more, 300 KB)", () => {
    const value = { short: "x".repeat(127), long: "y".repeat(128), huge: "z".repeat(300_000) };
    expect(Struct.deserializeBinary(structBytes(value)).toJavaScript()).toEqual(value);
  });

  it("refuses a value a Struct cannot hold", () => {
    expect(() => structBytes({ f: () => 1 })).toThrow("a Struct cannot hold a function");
  });
});
