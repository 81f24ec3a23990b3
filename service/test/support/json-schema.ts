/**
 * The conformance test's oracle: the document's schemas read by ajv, a JSON Schema validator
 * independent of zod (which generates the document), configured for what the document is:
 *
 * - OpenAPI 3.0 schemas: `nullable` (ajv's `nullable` option), `$ref`s into `#/components/...`
 *   of the document, and `example` as an annotation;
 * - strict: a keyword ajv does not know fails the compilation, so the document cannot state a
 *   rule this oracle silently ignores;
 * - `maxLength`/`minLength` count Unicode code points (ajv's default `unicode: true`), not UTF-16 units;
 * - `pattern` is an ECMA-262 regular expression compiled with the `u` flag (ajv's default);
 * - `multipleOf` is exact on the decimal number as JSON carries it (0.29 is a multiple of 0.01,
 *   0.30000000000000004 is not), for powers of ten, the only steps used. ajv's own keyword divides
 *   in floating point and refuses 0.29 (0.29 / 0.01 = 28.999999999999996), so it is replaced.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

export type JsonSchema = Record<string, unknown>;

export interface SchemaError {
  /** Property names from the validated value's root; `[]` is the value itself. */
  path: string[];
  message: string;
}

/** Decimal places of a number as JSON.stringify writes it (`1e-7` → 7, `1.25` → 2, `1e+21` → 0). */
export function decimalPlaces(n: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(n)).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

function createAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true });
  // Annotations the document may carry, and `components`, under which each schema is compiled
  // with the document's components so that its `#/components/...` references resolve.
  for (const keyword of ['example', 'components']) ajv.addKeyword(keyword);
  ajv.removeKeyword('multipleOf');
  ajv.addKeyword({
    keyword: 'multipleOf',
    type: 'number',
    schemaType: 'number',
    compile(step: number) {
      const places = decimalPlaces(step);
      if (10 ** -places !== step) throw new Error(`multipleOf ${step} is not a power of ten; the oracle checks only those exactly`);
      return (value: number) => decimalPlaces(value) <= places;
    },
    error: { message: ({ schema }) => `must be multiple of ${String(schema)}` },
  });
  // The formats the document uses, read as the service writes and the client parses them.
  ajv.addFormat('date-time', { type: 'string', validate: (s: string) => !Number.isNaN(Date.parse(s)) });
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) });
  return ajv;
}

const ajv = createAjv();
/** Compiled once per schema object of the document (the test validates the same few thousands of times). */
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/** The offending property names of one ajv error: the value's own, or the missing or unknown one. */
function pathOf(error: ErrorObject): string[] {
  const path = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required' && params.missingProperty !== undefined) path.push(params.missingProperty);
  if (error.keyword === 'additionalProperties' && params.additionalProperty !== undefined) path.push(params.additionalProperty);
  return path;
}

/**
 * Every way `value` breaks `schema` (empty: valid); `schema` is part of the document `root`, whose
 * `components` its `$ref`s point into. An `allOf` reports the failing sub-schema, not also the
 * `allOf` itself, which only repeats it.
 */
export function validate(schema: JsonSchema, value: unknown, root: JsonSchema): SchemaError[] {
  let check = compiled.get(schema);
  if (!check) {
    check = ajv.compile({ ...schema, components: root.components });
    compiled.set(schema, check);
  }
  if (check(value)) return [];
  return (check.errors ?? []).filter((e) => e.keyword !== 'allOf').map((e) => ({ path: pathOf(e), message: e.message ?? e.keyword }));
}
