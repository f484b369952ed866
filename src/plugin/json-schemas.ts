import { z } from "zod";
import { inputsSchema } from "../provider/inputs";
import { functionArgsSchema, functionResultSchema } from "./function-schemas";
import { outputsSchema } from "./outputs-schema";
import { isSecret, type Props, secret } from "./wire-values";

/** The part of a JSON Schema (as `z.toJSONSchema` writes it) that the plugin reads. */
export interface JsonSchema {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  /** Set by the zod metadata of values that are kept secret. */
  secret?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
}

/** The JSON Schema of what a zod schema accepts, with its metadata (docs, ids, secret flags). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
}

/** The inputs a program gives a MediaProvider (`autoName` is the dynamic resource's own). */
export const RESOURCE_INPUTS = jsonSchemaOf(inputsSchema.omit({ autoName: true }));
/** The outputs of a MediaProvider. */
export const RESOURCE_OUTPUTS = jsonSchemaOf(outputsSchema);
/** The arguments of `getMediaProviders`. */
export const FUNCTION_ARGS = jsonSchemaOf(functionArgsSchema);
/** The result of `getMediaProviders`. */
export const FUNCTION_RESULT = jsonSchemaOf(functionResultSchema);

const REF_PREFIX = "#/$defs/";

/** The definition `schema` refers to, or `schema` itself. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (schema.$ref === undefined) return schema;
  const target = root.$defs?.[schema.$ref.slice(REF_PREFIX.length)];
  if (!schema.$ref.startsWith(REF_PREFIX) || target === undefined) {
    throw new Error(`unresolved $ref ${schema.$ref}`);
  }
  return target;
}

/** `value` with every part the schema marks secret wrapped as a secret (an unknown one too). */
export function wrapSecrets(value: unknown, schema: JsonSchema, root: JsonSchema): unknown {
  if (value === undefined || isSecret(value)) return value;
  if (schema.secret === true) return secret(value);
  const target = resolveRef(schema, root);
  const { items, properties } = target;
  if (Array.isArray(value) && items) return value.map((item) => wrapSecrets(item, items, root));
  if (value === null || typeof value !== "object" || !properties) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const property = properties[key];
      return [key, property ? wrapSecrets(item, property, root) : item];
    }),
  );
}

/**
 * Properties for a response: what the schema marks secret wrapped, and so is every top-level
 * property that arrived holding a secret, so that no secret loses its mark on the way through.
 */
export function secretProps(props: Props, schema: JsonSchema, alsoSecret: ReadonlySet<string>): Props {
  const wrapped = wrapSecrets(props, schema, schema) as Props;
  return Object.fromEntries(
    Object.entries(wrapped).map(([key, value]) => [
      key,
      alsoSecret.has(key) && value !== undefined && !isSecret(value) ? secret(value) : value,
    ]),
  );
}

/** Names of the properties marked secret anywhere in `schema` (`apiToken`, `config`, `password`…). */
export function secretPropertyNames(schema: JsonSchema): Set<string> {
  const names = new Set<string>();
  const visit = (node: JsonSchema): void => {
    for (const [name, property] of Object.entries(node.properties ?? {})) {
      if (property.secret === true) names.add(name);
      visit(property);
    }
    if (node.items) visit(node.items);
  };
  visit(schema);
  for (const definition of Object.values(schema.$defs ?? {})) visit(definition);
  return names;
}
