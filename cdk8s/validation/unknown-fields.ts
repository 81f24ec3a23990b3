/**
 * Walks an object against a strict schema (type-schema.ts) and names every field the schema does
 * not know, with its JSON path. Only unknown fields: types, formats and required fields are the
 * job of kubernetes-models' `.validate()` (and of kubeconform, which uses the same schemas).
 */
import type { JsonSchema } from './type-schema.js';

type Definitions = Readonly<Record<string, JsonSchema>>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function resolve(schema: JsonSchema, definitions: Definitions): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref; depth++) {
    if (depth > 32) throw new Error(`unknown-fields: $ref cycle at ${schema.$ref}`);
    const name = current.$ref.replace('#/definitions/', '');
    const target = definitions[name];
    if (!target) throw new Error(`unknown-fields: missing definition ${name}`);
    current = target;
  }
  return current;
}

/** JSON-pointer style paths (`/spec/template/spec/containers/0/imagePullPolicey`) of unknown fields. */
export function unknownFields(value: unknown, schema: JsonSchema, definitions: Definitions, at = ''): string[] {
  const resolved = resolve(schema, definitions);
  if (resolved.anyOf) {
    // The branch that fits best: none of the k8s unions mix object shapes, so the first clean one wins.
    const candidates = resolved.anyOf.map((branch) => unknownFields(value, branch, definitions, at));
    return candidates.find((found) => found.length === 0) ?? candidates.sort((a, b) => a.length - b.length)[0] ?? [];
  }
  if (Array.isArray(value)) {
    if (!resolved.items) return [];
    const items = resolved.items;
    return value.flatMap((item, i) => unknownFields(item, items, definitions, `${at}/${i}`));
  }
  if (!isPlainObject(value) || resolved.type !== 'object') return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const known = resolved.properties?.[key];
    if (known) found.push(...unknownFields(child, known, definitions, path));
    else if (resolved.additionalProperties === false) found.push(path);
    else if (typeof resolved.additionalProperties === 'object') found.push(...unknownFields(child, resolved.additionalProperties, definitions, path));
  }
  return found;
}
