import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { provider, Struct } from "../src/plugin/proto";
import { MalformedMessageError } from "../src/plugin/protobuf-reader";
import { MessageWriter } from "../src/plugin/protobuf-writer";
import {
  DiffChanges,
  DiffKind,
  readCheckRequest,
  readCreateRequest,
  readDeleteRequest,
  readDiffRequest,
  readReadRequest,
  readUpdateRequest,
  writeCheckResponse,
  writeCreateResponse,
  writeDiffResponse,
  writeReadResponse,
  writeUpdateResponse,
} from "../src/plugin/resource-messages";
import { structBytes } from "../src/plugin/struct-bytes";
import { toStruct } from "./support/struct";

// Property bags as the engine sends them: JSON values (numbers as doubles), secrets as objects.
const json = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);
const bag = fc.dictionary(fc.string(), json) as fc.Arbitrary<Record<string, never>>;
const maybeBag = fc.option(bag, { nil: undefined });
const text = fc.string({ unit: "grapheme" });

/** The bytes of an SDK message, as grpc-js hands them to a deserializer. */
const wire = (message: { serializeBinary(): Uint8Array }) => Buffer.from(message.serializeBinary());
/** A bag as the SDK's classes read it back (a `__proto__` key turns into a prototype there too). */
const asSdkReads = (value: Record<string, never> | undefined) =>
  value === undefined ? undefined : toStruct(value).toJavaScript();

describe("requests read from the engine's bytes", () => {
  it("reads a CheckRequest as the SDK's class does, its seed copied", () => {
    fc.assert(
      fc.property(text, text, maybeBag, maybeBag, fc.uint8Array(), (urn, name, olds, news, seed) => {
        const request = new provider.CheckRequest().setUrn(urn).setName(name).setRandomseed(seed);
        if (olds) request.setOlds(toStruct(olds));
        if (news) request.setNews(toStruct(news));
        const bytes = wire(request);
        const read = readCheckRequest(bytes);
        expect(read).toEqual({ urn, name, olds: asSdkReads(olds), news: asSdkReads(news), randomSeed: seed });
        bytes.fill(0);
        expect(read.randomSeed).toEqual(seed);
      }),
    );
  });

  it("reads Diff, Create, Read, Update and Delete requests as the SDK's classes do", () => {
    fc.assert(
      fc.property(
        text,
        text,
        maybeBag,
        maybeBag,
        maybeBag,
        fc.array(text),
        fc.boolean(),
        (id, urn, a, b, c, ignore, preview) => {
          const struct = (value: Record<string, never> | undefined) => (value ? toStruct(value) : undefined);
          const diff = new provider.DiffRequest().setId(id).setUrn(urn).setIgnorechangesList(ignore);
          diff.setOlds(struct(a)).setNews(struct(b)).setOldInputs(struct(c));
          expect(readDiffRequest(wire(diff))).toEqual({
            id,
            urn,
            olds: asSdkReads(a),
            news: asSdkReads(b),
            oldInputs: asSdkReads(c),
            ignoreChanges: ignore,
          });
          const create = new provider.CreateRequest().setUrn(urn).setPreview(preview).setTimeout(300);
          create.setProperties(struct(a));
          expect(readCreateRequest(wire(create))).toEqual({ urn, properties: asSdkReads(a), preview });
          const read = new provider.ReadRequest()
            .setId(id)
            .setUrn(urn)
            .setProperties(struct(a))
            .setInputs(struct(b));
          expect(readReadRequest(wire(read))).toEqual({
            id,
            urn,
            properties: asSdkReads(a),
            inputs: asSdkReads(b),
          });
          const update = new provider.UpdateRequest().setId(id).setUrn(urn).setPreview(preview);
          update.setOlds(struct(a)).setNews(struct(b)).setOldInputs(struct(c));
          expect(readUpdateRequest(wire(update))).toEqual({
            id,
            urn,
            olds: asSdkReads(a),
            news: asSdkReads(b),
            oldInputs: asSdkReads(c),
            preview,
          });
          const del = new provider.DeleteRequest().setId(id).setUrn(urn).setTimeout(1.5);
          del.setProperties(struct(a)).setOldInputs(struct(b));
          expect(readDeleteRequest(wire(del))).toEqual({
            id,
            urn,
            properties: asSdkReads(a),
            oldInputs: asSdkReads(b),
          });
        },
      ),
    );
  });

  it("passes over the fields it does not use, newer ones included", () => {
    const request = new provider.CheckRequest()
      .setUrn("urn:pulumi:dev::p::whatsapp:index:MediaProvider::cdn")
      .setType("whatsapp:index:MediaProvider")
      .setAutonaming(new provider.CheckRequest.AutonamingOptions().setProposedName("cdn-1").setMode(1));
    const unknownFields = new MessageWriter().string(15, "from a newer engine").bool(14, true).bytes();
    const read = readCheckRequest(Buffer.concat([wire(request), unknownFields]));
    expect(read.urn).toBe("urn:pulumi:dev::p::whatsapp:index:MediaProvider::cdn");
    expect(read.news).toBeUndefined();
  });

  it("refuses bytes cut short and a Struct value with no kind, as errors that say so", () => {
    const bytes = wire(new provider.CreateRequest().setUrn("urn").setProperties(toStruct({ name: "cdn" })));
    for (let end = 1; end < bytes.length; end++) {
      if (end === 5) continue; // the urn field ends there: what is left is a complete, shorter request
      expect(() => readCreateRequest(bytes.subarray(0, end)), `cut at ${end}`).toThrow(MalformedMessageError);
    }
    // CreateRequest { properties: Struct { fields: { "a": <value> } } }
    const properties = (entry: Buffer) =>
      new MessageWriter().message(2, new MessageWriter().message(1, entry).bytes()).bytes();
    const noKind = new MessageWriter().string(1, "a").message(2, Buffer.alloc(0)).bytes();
    expect(() => readCreateRequest(properties(noKind))).toThrow("a Struct value has no kind");
    const noValue = new MessageWriter().string(1, "a").bytes();
    expect(() => readCreateRequest(properties(noValue))).toThrow('the Struct field "a" has no value');
  });
});

describe("answers written for the engine", () => {
  it("writes a CheckResponse the SDK's class reads back", () => {
    const failures = fc.array(fc.record({ property: text, reason: text }), { maxLength: 3 });
    fc.assert(
      fc.property(bag, failures, (inputs, failed) => {
        const read = provider.CheckResponse.deserializeBinary(
          writeCheckResponse({ inputs, failures: failed }),
        );
        expect(read.getInputs()?.toJavaScript()).toEqual(asSdkReads(inputs));
        expect(
          read.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
        ).toEqual(failed);
      }),
    );
  });

  it("writes a detailed DiffResponse the SDK's class reads back", () => {
    const kind = fc.constantFrom(...Object.values(DiffKind));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(text, kind), { selector: ([key]) => key }),
        fc.array(text),
        (detailed, replaces) => {
          const diffs = detailed.map(([key]) => key);
          const changes = diffs.length > 0 ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE;
          const read = provider.DiffResponse.deserializeBinary(
            writeDiffResponse({ changes, replaces, diffs, detailedDiff: detailed }),
          );
          expect(read.getChanges()).toBe(changes);
          expect(read.getReplacesList()).toEqual(replaces);
          expect(read.getDiffsList()).toEqual(diffs);
          expect(read.getHasdetaileddiff()).toBe(true);
          expect(read.getDeletebeforereplace()).toBe(false);
          const entries = new Map<string, [number, boolean]>();
          read.getDetaileddiffMap().forEach((diff, key) => {
            entries.set(key, [diff.getKind(), diff.getInputdiff()]);
          });
          expect(entries).toEqual(new Map(detailed.map(([key, k]) => [key, [k, false]])));
        },
      ),
    );
  });

  it("writes Create, Read and Update responses the SDK's classes read back", () => {
    fc.assert(
      fc.property(text, bag, maybeBag, (id, properties, inputs) => {
        const created = provider.CreateResponse.deserializeBinary(writeCreateResponse({ id, properties }));
        expect([created.getId(), created.getProperties()?.toJavaScript()]).toEqual([
          id,
          asSdkReads(properties),
        ]);
        const read = provider.ReadResponse.deserializeBinary(writeReadResponse({ id, properties, inputs }));
        expect(read.getId()).toBe(id);
        expect(read.getProperties()?.toJavaScript()).toEqual(asSdkReads(properties));
        expect(read.getInputs()?.toJavaScript()).toEqual(asSdkReads(inputs));
        const updated = provider.UpdateResponse.deserializeBinary(writeUpdateResponse({ properties }));
        expect(updated.getProperties()?.toJavaScript()).toEqual(asSdkReads(properties));
      }),
    );
  });

  it("writes a ReadResponse of a resource gone as an empty id and nothing else", () => {
    const read = provider.ReadResponse.deserializeBinary(writeReadResponse({ id: "" }));
    expect([read.getId(), read.hasProperties(), read.hasInputs()]).toEqual(["", false, false]);
  });

  it("embeds a message's bytes as a field: an InvokeResponse's return", () => {
    const value = { botId: "bot", providers: [{ name: "a".repeat(200) }] };
    const bytes = new MessageWriter().message(1, structBytes(value)).bytes();
    expect(provider.InvokeResponse.deserializeBinary(bytes).getReturn()?.toJavaScript()).toEqual(value);
    expect(Struct.deserializeBinary(structBytes(value)).toJavaScript()).toEqual(value);
  });
});
