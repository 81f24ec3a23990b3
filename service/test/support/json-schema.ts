/**
 * A JSON Schema validator for the OpenAPI 3.0 subset the service's document uses, written for the
 * conformance test as an oracle independent of zod (which generates the document). It reads the
 * document's keywords as the specification defines them, and refuses any keyword it does not know,
 * so the document cannot state a rule this oracle silently ignores.
 *
 * - `maxLength`/`minLength` count Unicode code points (JSON Schema), not UTF-16 units.
 * - `multipleOf` is exact on the decimal number as JSON carries it (0.30000000000000004 is not a
 *   multiple of 0.01), for powers of ten, the only steps used.
 * - `pattern` is an ECMA-262 regular expression, unanchored, compiled with the `u` flag (as ajv does).
 */

export type JsonSchema = Record<string, unknown>;

export interface SchemaError {
  /** Property names from the validated value's root; `[]` is the value itself. */
  path: string[];
  message: string;
}

/** Keywords with no effect on validity. */
const ANNOTATIONS = new Set(['description', 'title', 'default', 'example', 'readOnly', 'writeOnly']);
const KNOWN = new Set([
  ...ANNOTATIONS,
  '$ref', 'type', 'nullable', 'enum', 'allOf', 'properties', 'required', 'additionalProperties', 'minProperties',
  'items', 'minItems', 'maxItems', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'multipleOf', 'format',
]);

const patterns = new Map<string, RegExp>();
const regex = (source: string): RegExp => {
  let re = patterns.get(source);
  if (!re) patterns.set(source, (re = new RegExp(source, 'u')));
  return re;
};

export const codePoints = (s: string): number => [...s].length;

/** Decimal places of a number as JSON.stringify writes it (`1e-7` → 7, `1.25` → 2, `1e+21` → 0). */
export function decimalPlaces(n: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(n)).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  if (Object.keys(schema).length > 1) throw new Error(`$ref with siblings is ignored in OpenAPI 3.0: ${JSON.stringify(schema)}`);
  let target: unknown = root;
  for (const part of ref.replace(/^#\//, '').split('/')) target = (target as Record<string, unknown>)[part];
  if (!target || typeof target !== 'object') throw new Error(`unresolved $ref ${ref}`);
  return resolve(target as JsonSchema, root);
}

/** Every way `value` breaks `schema` (empty: valid). `root` resolves `$ref`s. */
export function validate(schemaOrRef: JsonSchema, value: unknown, root: JsonSchema, path: string[] = []): SchemaError[] {
  const schema = resolve(schemaOrRef, root);
  for (const key of Object.keys(schema)) {
    if (!KNOWN.has(key)) throw new Error(`the oracle does not know the keyword "${key}" (at ${path.join('.') || 'root'}); teach it before the document uses it`);
  }
  const errors: SchemaError[] = [];
  const fail = (message: string, at: string[] = path) => errors.push({ path: at, message });

  if (value === null && schema.nullable === true) return errors;
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === value)) fail(`must be one of ${JSON.stringify(schema.enum)}`);
  for (const sub of (schema.allOf as JsonSchema[] | undefined) ?? []) errors.push(...validate(sub, value, root, path));

  const type = schema.type as string | undefined;
  const actual = typeOf(value);
  if (type !== undefined) {
    const matches = type === 'integer' ? actual === 'number' && Number.isInteger(value) : type === actual;
    if (!matches) {
      fail(`must be of type ${type}${schema.nullable === true ? ' or null' : ''}`);
      return errors; // the other keywords of this schema are about values of its type
    }
  }

  if (typeof value === 'string') {
    const length = codePoints(value);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) fail(`must be at most ${schema.maxLength} characters`);
    if (typeof schema.minLength === 'number' && length < schema.minLength) fail(`must be at least ${schema.minLength} characters`);
    if (typeof schema.pattern === 'string' && !regex(schema.pattern).test(value)) fail(`must match ${schema.pattern}`);
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) fail('must be a date-time');
    if (schema.format === 'uri' && !URL.canParse(value)) fail('must be a URI');
    if (schema.format !== undefined && !['date-time', 'uri'].includes(schema.format as string)) throw new Error(`unknown format ${String(schema.format)}`);
  }

  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) fail(`must be >= ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) fail(`must be <= ${schema.maximum}`);
    if (typeof schema.multipleOf === 'number') {
      const places = decimalPlaces(schema.multipleOf);
      if (10 ** -places !== schema.multipleOf) throw new Error(`multipleOf ${schema.multipleOf} is not a power of ten; the oracle checks only those exactly`);
      if (decimalPlaces(value) > places) fail(`must be a multiple of ${schema.multipleOf}`);
    }
  }

  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) fail(`must have at most ${schema.maxItems} items`);
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) fail(`must have at least ${schema.minItems} items`);
    if (schema.items) value.forEach((item, i) => errors.push(...validate(schema.items as JsonSchema, item, root, [...path, String(i)])));
  }

  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
    if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) fail(`must have at least ${schema.minProperties} properties`);
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (!Object.hasOwn(object, name)) fail('is required', [...path, name]);
    }
    for (const key of keys) {
      const sub = Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (sub) errors.push(...validate(sub, object[key], root, [...path, key]));
      else if (schema.additionalProperties === false) fail('is not a known field', [...path, key]);
    }
  }
  return errors;
}
