import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  type ObjectSpec,
  type PropertySpec,
  packageSchema,
  type TypeSpec,
} from "../src/plugin/package-schema";
import { getMediaProvidersArgsSchema } from "../src/provider/get-media-providers";
import { inputsSchema } from "../src/provider/inputs";
import { settingsSchema } from "../src/provider/settings";

interface ResourceSpec extends ObjectSpec {
  description: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
}
interface Schema {
  name: string;
  version: string;
  config: { variables: Record<string, PropertySpec> };
  provider: { inputProperties: Record<string, PropertySpec> };
  resources: Record<string, ResourceSpec>;
  functions: Record<string, { description: string; inputs: ObjectSpec; outputs: ObjectSpec }>;
  types: Record<string, TypeSpec>;
  language: Record<string, Record<string, unknown>>;
}

const schema = packageSchema() as unknown as Schema;
const resource = schema.resources["whatsapp:index:MediaProvider"] as ResourceSpec;
const fn = schema.functions["whatsapp:index:getMediaProviders"];
const types = schema.types;
const type = (name: string) => types[`whatsapp:index:${name}`] as Required<TypeSpec>;

// The rules of Pulumi's package metaschema (pkg/codegen/schema/pulumi.json) that this package could break.
const NAME = /^[a-zA-Z][-a-zA-Z0-9_]*$/;
const TOKEN = /^[a-zA-Z][-a-zA-Z0-9_]*:([^0-9][a-zA-Z0-9._/-]*)?:[^0-9][a-zA-Z0-9._/]*$/;
const FUNCTION_TOKEN = /^[a-zA-Z][-a-zA-Z0-9_]*:([^0-9][a-zA-Z0-9._/-]*)?:[^0-9][a-zA-Z0-9._/-]*$/;
const PRIMITIVES = ["boolean", "integer", "number", "string"];

/** Every property bag of the schema, named for messages. */
function propertyBags(): [string, Record<string, PropertySpec>, string[]][] {
  return [
    ["config", schema.config.variables, []],
    ["provider", schema.provider.inputProperties, []],
    ["resource inputs", resource.inputProperties, resource.requiredInputs],
    ["resource outputs", resource.properties, resource.required],
    ["function inputs", fn?.inputs.properties ?? {}, fn?.inputs.required ?? []],
    ["function outputs", fn?.outputs.properties ?? {}, fn?.outputs.required ?? []],
    ...Object.entries(types)
      .filter(([, t]) => t.type === "object")
      .map(([name, t]): [string, Record<string, PropertySpec>, string[]] => [
        name,
        t.properties ?? {},
        t.required ?? [],
      ]),
  ];
}

/** Problems of one property spec: typed exactly once, arrays with typed items, refs that resolve. */
function propertyProblems(where: string, spec: PropertySpec): string[] {
  if (spec.$ref !== undefined) {
    const name = spec.$ref.replace(/^#\/types\//, "");
    return spec.$ref.startsWith("#/types/") && types[name]
      ? []
      : [`${where}: $ref ${spec.$ref} does not resolve`];
  }
  if (spec.type === "array")
    return spec.items ? propertyProblems(`${where}[]`, spec.items) : [`${where}: no items`];
  if (spec.type === undefined || !PRIMITIVES.includes(spec.type)) return [`${where}: type ${spec.type}`];
  if (spec.const !== undefined && typeof spec.const !== (spec.type === "integer" ? "number" : spec.type)) {
    return [`${where}: const of another type`];
  }
  return [];
}

describe("the package schema obeys Pulumi's metaschema", () => {
  it("has a valid name and version, and tokens of the right form", () => {
    expect(schema.name).toMatch(NAME);
    expect(schema.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const token of [...Object.keys(schema.resources), ...Object.keys(types)])
      expect(token).toMatch(TOKEN);
    for (const token of Object.keys(schema.functions)) expect(token).toMatch(FUNCTION_TOKEN);
    for (const token of [
      ...Object.keys(schema.resources),
      ...Object.keys(types),
      ...Object.keys(schema.functions),
    ]) {
      expect(token.startsWith(`${schema.name}:`)).toBe(true);
    }
  });

  it("types every property, with items for arrays and $refs that resolve", () => {
    const problems = propertyBags().flatMap(([bag, properties]) =>
      Object.entries(properties).flatMap(([name, spec]) => propertyProblems(`${bag}.${name}`, spec)),
    );
    expect(problems).toEqual([]);
  });

  it("names only existing properties in its required lists", () => {
    for (const [bag, properties, required] of propertyBags()) {
      expect(
        required.filter((name) => !(name in properties)),
        bag,
      ).toEqual([]);
    }
  });

  it("makes its types objects or enums of a primitive type whose values have that type", () => {
    for (const [name, spec] of Object.entries(types)) {
      if (spec.enum === undefined) {
        expect(spec.type, name).toBe("object");
        continue;
      }
      expect(PRIMITIVES, name).toContain(spec.type);
      for (const { value } of spec.enum)
        expect(typeof value, name).toBe(spec.type === "integer" ? "number" : spec.type);
    }
    const referenced = new Set(JSON.stringify(schema).match(/#\/types\/[^"]+/g));
    expect(Object.keys(types).filter((name) => !referenced.has(`#/types/${name}`))).toEqual([]);
  });

  it("marks as secret exactly the API token, the credentials, the password and the bearer token", () => {
    const secrets = propertyBags().flatMap(([bag, properties]) =>
      Object.entries(properties)
        .filter(([, spec]) => spec.secret === true)
        .map(([name]) => `${bag}.${name}`),
    );
    expect(secrets.sort()).toEqual(
      [
        "config.apiToken",
        "provider.apiToken",
        "resource inputs.apiToken",
        "resource inputs.config",
        "resource outputs.apiToken",
        "resource outputs.config",
        "function inputs.apiToken",
        "whatsapp:index:BasicCredentials.password",
        "whatsapp:index:MediaProviderConfig.bearer",
        "whatsapp:index:ListedMediaProvider.config",
      ].sort(),
    );
  });

  it("has language sections for nodejs, python, go and csharp", () => {
    expect(schema.language).toMatchObject({
      nodejs: { packageName: expect.any(String) },
      python: { packageName: expect.stringMatching(/^[a-z_]+$/) },
      go: { importBasePath: expect.stringMatching(/^github\.com\//) },
      csharp: { rootNamespace: expect.any(String) },
    });
  });
});

describe("the package schema says what check enforces", () => {
  const config = { bearer: "b" };
  const accepts = (inputs: Record<string, unknown>) => inputsSchema.safeParse(inputs).success;

  it("has the inputs check accepts, and requires what check requires", () => {
    const { autoName: _, ...shape } = inputsSchema.shape;
    expect(Object.keys(resource.inputProperties).sort()).toEqual(Object.keys(shape).sort());
    const minimal: Record<string, unknown> = { config };
    expect(accepts(minimal)).toBe(true);
    const without = (key: string) => Object.fromEntries(Object.entries(minimal).filter(([k]) => k !== key));
    expect(resource.requiredInputs).toEqual(Object.keys(shape).filter((key) => !accepts(without(key))));
  });

  it("lists as enum values exactly the values check accepts", () => {
    for (const { value } of type("Region").enum) expect(accepts({ config, region: value })).toBe(true);
    expect(accepts({ config, region: "ap1" })).toBe(false);
    for (const { value } of type("VerifyMethod").enum) {
      expect(accepts({ config, verify: { url: "https://s.example/p", method: value } })).toBe(true);
    }
    expect(accepts({ config, verify: { url: "https://s.example/p", method: "POST" } })).toBe(false);
    expect(accepts({ config, type: resource.inputProperties.type?.const })).toBe(true);
    expect(accepts({ config, type: "s3" })).toBe(false);
  });

  it("types each input as check does: a value of another type fails with the schema's type expected", () => {
    for (const [key, spec] of Object.entries(resource.inputProperties)) {
      if (spec.type === undefined || spec.const !== undefined) continue;
      const parsed = inputsSchema.safeParse({ config, [key]: spec.type === "string" ? 42 : "x" });
      const issue = parsed.error?.issues.find((i) => i.path[0] === key);
      expect(issue, key).toMatchObject({ code: "invalid_type", expected: spec.type });
    }
    expect(type("BasicCredentials").required).toEqual(["username", "password"]);
    expect(type("VerifyOptions").required).toEqual(["url"]);
    expect(accepts({ config: { basic: { username: "u" } } })).toBe(false);
    expect(accepts({ config, verify: {} })).toBe(false);
  });

  it("has the function's arguments that getMediaProviders checks", () => {
    expect(Object.keys(fn?.inputs.properties ?? {})).toEqual(Object.keys(getMediaProvidersArgsSchema.shape));
    expect(fn?.inputs.required).toEqual([]);
    expect(getMediaProvidersArgsSchema.safeParse({}).success).toBe(true);
    expect(getMediaProvidersArgsSchema.safeParse({ region: "ap1" }).success).toBe(false);
  });

  it("has the provider config the settings read, typed as they parse it", () => {
    expect(Object.keys(schema.config.variables)).toEqual(Object.keys(settingsSchema.shape));
    for (const [key, spec] of Object.entries(schema.config.variables)) {
      const parsed = settingsSchema.safeParse({ [key]: "1.5" });
      expect(parsed.success, key).toBe(spec.type === "string");
    }
  });
});

/** The TSDoc of each declaration in a declaration file, by dotted name (`MediaProviderArgs.botId`). */
function tsdocOf(file: string): Map<string, string> {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const docs = new Map<string, string>();
  const visit = (node: ts.Node, scope: string): void => {
    const name = (node as { name?: ts.Node }).name;
    const own = name && ts.isIdentifier(name) ? (scope ? `${scope}.${name.text}` : name.text) : scope;
    const text = ts
      .getJSDocCommentsAndTags(node)
      .filter(ts.isJSDoc)
      .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
      .join(" ");
    if (own !== scope && text) docs.set(own, text.replace(/\s+/g, " ").trim());
    ts.forEachChild(node, (child) => visit(child, own));
  };
  visit(source, "");
  return docs;
}

describe("the package schema documents what the TypeScript class documents", () => {
  const dist = (file: string) => join(__dirname, "..", "dist", file);
  const docs = new Map([
    ...tsdocOf(dist("resource/media-provider.d.ts")),
    ...tsdocOf(dist("types/media-provider.d.ts")),
    ...tsdocOf(dist("types/regions.d.ts")),
    ...tsdocOf(dist("resource/get-media-providers.d.ts")),
  ]);
  const descriptions = (properties: Record<string, PropertySpec>) =>
    Object.fromEntries(Object.entries(properties).map(([key, spec]) => [key, spec.description]));
  const documented = (scope: string, keys: string[]) =>
    Object.fromEntries(keys.map((key) => [key, docs.get(`${scope}.${key}`)]));

  it("describes the resource as the class does (before its example)", () => {
    expect(resource.description).toBe(docs.get("MediaProvider"));
  });

  it("describes each input as MediaProviderArgs does", () => {
    const inputs = descriptions(resource.inputProperties);
    expect(inputs).toEqual(documented("MediaProviderArgs", Object.keys(inputs)));
  });

  it("describes each output as the class's properties do", () => {
    const outputs = descriptions(resource.properties);
    expect(outputs).toEqual(documented("MediaProvider", Object.keys(outputs)));
  });

  it("describes the nested inputs as VerifyArgs, BasicConfigArgs and BearerConfigArgs do", () => {
    const verify = descriptions(type("VerifyOptions").properties);
    expect(verify).toEqual(documented("VerifyArgs", Object.keys(verify)));
    expect(type("VerifyOptions").description).toBe(docs.get("VerifyArgs"));
    expect(descriptions(type("MediaProviderConfig").properties)).toEqual({
      basic: docs.get("BasicConfigArgs"),
      bearer: docs.get("BearerConfigArgs"),
    });
    expect(descriptions(type("BasicCredentials").properties)).toEqual(
      documented("BasicConfigArgs.basic", ["username", "password"]),
    );
  });

  it("describes the function, its arguments and its result as the program-side function does", () => {
    expect(fn?.description).toBe(docs.get("getMediaProviders"));
    const args = descriptions(fn?.inputs.properties ?? {});
    expect(args).toEqual(documented("GetMediaProvidersArgs", Object.keys(args)));
    const result = descriptions(fn?.outputs.properties ?? {});
    expect(result).toEqual(documented("GetMediaProvidersResult", Object.keys(result)));
    const listed = descriptions(type("ListedMediaProvider").properties);
    expect(listed).toEqual(documented("MediaProviderSummary", Object.keys(listed)));
    expect(type("ListedMediaProvider").description).toBe(docs.get("MediaProviderSummary"));
  });

  it("describes the named types as their TypeScript types do", () => {
    expect(type("MediaProviderConfig").description).toBe(docs.get("MediaProviderConfig"));
    expect(type("BasicCredentials").description).toBe(docs.get("BasicConfig"));
    expect(type("Region").description).toBe(docs.get("Region"));
    expect(type("AuthType").description).toBe(docs.get("AuthType"));
  });
});
