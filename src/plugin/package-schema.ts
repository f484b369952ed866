import { isDeepStrictEqual } from "node:util";
import { CONFIG_NAMESPACE, ENV_VARS, type Settings, settingsSchema } from "../provider/settings";
import { PACKAGE_JSON } from "../utils/package-json";
import { FUNCTION_DESCRIPTION } from "./function-schemas";
import {
  FUNCTION_ARGS,
  FUNCTION_RESULT,
  type JsonSchema,
  jsonSchemaOf,
  RESOURCE_INPUTS,
  RESOURCE_OUTPUTS,
  resolveRef,
} from "./json-schemas";

/** The schema's package name: the stack config namespace, so `whatsapp:*` config is the provider's config. */
export const PACKAGE_NAME = CONFIG_NAMESPACE;
/** The token of a type, resource or function of the package's only module. */
const token = (name: string): string => `${PACKAGE_NAME}:index:${name}`;
/** The resource's token. */
export const RESOURCE_TOKEN = token("MediaProvider");
/** The function's token. */
export const FUNCTION_TOKEN = token("getMediaProviders");

/** The TSDoc of the `MediaProvider` class, up to its example (a test holds them equal). */
export const RESOURCE_DESCRIPTION =
  "A WhatsApp media provider: the Basic or Bearer credentials WhatsApp uses to download images, videos and documents from your storage. Its id is `<botId>/<name>`.";

/** A property of the package schema (Pulumi's `propertySpec`, the parts used here). */
export interface PropertySpec {
  type?: string;
  $ref?: string;
  items?: PropertySpec;
  const?: unknown;
  description?: string;
  secret?: boolean;
}

/** An object's properties and the required ones (Pulumi's `objectTypeSpec`). */
export interface ObjectSpec {
  properties: Record<string, PropertySpec>;
  required: string[];
}

/** A named type of the package schema: an object or a string enum. */
export interface TypeSpec extends Partial<ObjectSpec> {
  type: string;
  description?: string;
  enum?: { value: unknown }[];
}

const PRIMITIVES = new Set(["string", "integer", "number", "boolean"]);
const REF_PREFIX = "#/$defs/";

/** Converts JSON Schemas to Pulumi property specs, collecting the named types they refer to. */
class SchemaConverter {
  readonly types: Record<string, TypeSpec> = {};

  /** The property spec of a JSON Schema property within `root` (whose `$defs` hold the named types). */
  property(schema: JsonSchema, root: JsonSchema): PropertySpec {
    const meta = {
      ...(schema.description === undefined ? {} : { description: schema.description }),
      ...(schema.secret === true ? { secret: true } : {}),
    };
    if (schema.$ref !== undefined) return { $ref: this.namedType(schema.$ref, root), ...meta };
    if (schema.type === "array" && schema.items) {
      return { type: "array", items: this.property(schema.items, root), ...meta };
    }
    if (schema.type !== undefined && PRIMITIVES.has(schema.type) && schema.enum === undefined) {
      return { type: schema.type, ...(schema.const === undefined ? {} : { const: schema.const }), ...meta };
    }
    // An enum or object becomes a named type: its zod schema needs an `id` in its metadata.
    throw new Error(`no schema type for ${JSON.stringify(schema)}: give its zod schema an id`);
  }

  /** The properties and required list of a JSON Schema object. */
  object(schema: JsonSchema, root: JsonSchema): ObjectSpec {
    const properties = Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([name, property]) => [
        name,
        this.property(property, root),
      ]),
    );
    return { properties, required: schema.required ?? [] };
  }

  /** Adds the type a `$ref` names (the same name must mean the same type everywhere); its schema reference. */
  private namedType(ref: string, root: JsonSchema): string {
    const name = token(ref.slice(REF_PREFIX.length));
    const definition = resolveRef({ $ref: ref }, root);
    const description = definition.description === undefined ? {} : { description: definition.description };
    const spec: TypeSpec = definition.enum
      ? {
          type: definition.type ?? "string",
          enum: definition.enum.map((value) => ({ value })),
          ...description,
        }
      : { type: "object", ...this.object(definition, root), ...description };
    const known = this.types[name];
    if (known !== undefined && !isDeepStrictEqual(known, spec))
      throw new Error(`two different types named ${name}`);
    this.types[name] = spec;
    return `#/types/${name}`;
  }
}

/** The provider's config: the settings' keys, types and docs, with the environment variable of each. */
function configVariables(converter: SchemaConverter): Record<string, PropertySpec> {
  const settings = jsonSchemaOf(settingsSchema);
  const { properties } = converter.object(settings, settings);
  return Object.fromEntries(
    Object.entries(properties).map(([key, spec]) => {
      if (spec.description === undefined)
        throw new Error(`setting ${key} has no description in its zod metadata`);
      return [
        key,
        { ...spec, description: `${spec.description} Else \`${ENV_VARS[key as keyof Settings]}\`.` },
      ];
    }),
  );
}

/**
 * The package schema the plugin answers `GetSchema` with: the resource, its types, the provider's
 * config and the function, all made from the zod definitions that `check` enforces (types, enums,
 * required keys, docs, secret flags), and the language sections for generated SDKs.
 */
export function packageSchema(): Record<string, unknown> {
  const converter = new SchemaConverter();
  const variables = configVariables(converter);
  const inputs = converter.object(RESOURCE_INPUTS, RESOURCE_INPUTS);
  const outputs = converter.object(RESOURCE_OUTPUTS, RESOURCE_OUTPUTS);
  return {
    name: PACKAGE_NAME,
    displayName: "Sinch WhatsApp",
    version: PACKAGE_JSON.version,
    description: PACKAGE_JSON.description,
    keywords: ["pulumi", "whatsapp", "sinch", "media-provider", "category/utility", "kind/native"],
    homepage: PACKAGE_JSON.homepage,
    license: PACKAGE_JSON.license,
    config: { variables },
    provider: {
      description: "The provider of WhatsApp media providers: its inputs are the stack config `whatsapp:*`.",
      inputProperties: variables,
    },
    resources: {
      [RESOURCE_TOKEN]: {
        description: RESOURCE_DESCRIPTION,
        inputProperties: inputs.properties,
        requiredInputs: inputs.required,
        properties: outputs.properties,
        required: outputs.required,
      },
    },
    functions: {
      [FUNCTION_TOKEN]: {
        description: FUNCTION_DESCRIPTION,
        inputs: converter.object(FUNCTION_ARGS, FUNCTION_ARGS),
        outputs: converter.object(FUNCTION_RESULT, FUNCTION_RESULT),
      },
    },
    types: converter.types,
    language: {
      nodejs: { packageName: "pulumi-sinch-whatsapp-sdk", packageDescription: PACKAGE_JSON.description },
      python: { packageName: "pulumi_sinch_whatsapp" },
      go: { importBasePath: "github.com/pulumi-sinch-whatsapp/pulumi-sinch-whatsapp/sdk/go/whatsapp" },
      csharp: { rootNamespace: "Sinch" },
    },
  };
}
