import { z } from 'zod';
import type { FieldError } from '../http/problem.js';
import { HttpProblem } from '../http/problem.js';
import { ITEM_LIMITS } from './limits.js';

/*
 * These schemas are the one statement of what the API accepts: routes validate with them and the
 * OpenAPI document is generated from them (`z.toJSONSchema`). zod leaves refinements out of that
 * output, so every rule here is either a check zod translates itself (regex → `pattern`, min/max
 * → `minimum`/`maximum`) or a refinement carrying, through `documented`, the JSON Schema keyword
 * that states the same rule.
 */

/**
 * Adds a check zod cannot translate, together with the JSON Schema keyword that means the same,
 * so the rule and its documentation are written once, side by side.
 */
function documented<S extends z.ZodType>(schema: S, check: (value: z.output<S>) => boolean, error: string, keyword: Record<string, unknown>): S {
  return schema.refine(check, { error }).meta(keyword);
}

/** Unicode code points, as JSON Schema's `maxLength` and PostgreSQL's varchar(n) count them. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

// Patterns that mean the same with and without the `u` flag, since JSON Schema validators differ.
/** PostgreSQL cannot store NUL in text. */
// eslint-disable-next-line no-control-regex -- NUL is exactly the character this pattern refuses
const NO_NUL = /^[^\u0000]*$/;
/** Well-formed UTF-16: no lone surrogate (an escaped `\ud800` parses into one), so it encodes to UTF-8. */
const WELL_FORMED = /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
/** At least one character that is not white space (the same set `String.prototype.trim` removes). */
const NOT_BLANK = /\S/;

const storableText = (max: number) =>
  documented(
    z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .regex(NO_NUL, { error: 'must not contain NUL characters' })
      .regex(WELL_FORMED, { error: 'must be valid Unicode' }),
    // Counting code points only when the UTF-16 length is over: most text never pays for it.
    (s) => s.length <= max || codePoints(s) <= max,
    `must be at most ${max} characters`,
    { maxLength: max },
  );

const name = storableText(ITEM_LIMITS.nameMaxLength).regex(NOT_BLANK, { error: 'must not be blank' });
const description = storableText(ITEM_LIMITS.descriptionMaxLength).nullable();
const cents = 10 ** -ITEM_LIMITS.priceScale;
const price = documented(
  z
    .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number') })
    .min(0, { error: 'must not be negative' })
    .max(ITEM_LIMITS.priceMax, { error: `must be at most ${ITEM_LIMITS.priceMax}` }),
  // zod's own multipleOf accepts 0.30000000000000004; this is exact for the number as sent.
  (p) => Number(p.toFixed(ITEM_LIMITS.priceScale)) === p,
  `must have at most ${ITEM_LIMITS.priceScale} decimal places`,
  { multipleOf: cents },
);

/** A body that is JSON but not an object (an array, a string, null) gets this, not zod's wording. */
const objectError = (issue: { code: string }) => (issue.code === 'invalid_type' ? 'must be a JSON object' : undefined);

export const itemCreateSchema = z.strictObject({ name, price, description: description.optional() }, { error: objectError });
/** PUT replaces the item: an omitted description becomes null. */
export const itemReplaceSchema = itemCreateSchema;
export const itemPatchSchema = documented(
  z.strictObject({ name: name.optional(), price: price.optional(), description: description.optional() }, { error: objectError }),
  (body) => Object.keys(body).length > 0,
  'must contain at least one of name, price, description',
  { minProperties: 1 },
);

export type ItemCreate = z.infer<typeof itemCreateSchema>;
export type ItemPatch = z.infer<typeof itemPatchSchema>;

const tooLarge = `must be at most ${Number.MAX_SAFE_INTEGER}`;
/**
 * Item ids: positive integers in JavaScript's exact range, so they survive JSON round trips.
 * `z.int()` itself bounds the range to safe integers (and documents that maximum).
 */
export const itemId = z
  .int({ error: (issue) => (typeof issue.input === 'number' && issue.input > Number.MAX_SAFE_INTEGER ? tooLarge : 'must be a positive integer'), abort: true })
  .min(1, { error: 'must be a positive integer' });

/**
 * A path id: digits without a leading zero, then the range of `itemId`, so every id that is a
 * positive integer but too large gets the same "must be at most" however many digits it has.
 */
export const itemIdSchema = z
  .string()
  .regex(/^[1-9][0-9]*$/, { error: 'must be a positive integer' })
  .transform(Number)
  .pipe(itemId);

export const itemIdParams = z.object({ id: itemIdSchema });

/** The ids `itemIdSchema` accepts, as most requests send them: at most 16 digits, no leading zero. */
const PLAIN_ID = /^[1-9][0-9]{0,15}$/;

/**
 * A path id, parsed the way `itemIdParams` parses it, without zod for the common valid case (zod
 * cost ~4 µs of a GET by id's CPU in the running service). Anything else goes through the schema,
 * so every refusal keeps its message; a property test checks both agree on every string.
 */
export function parseItemId(raw: string | undefined): number {
  if (raw !== undefined && PLAIN_ID.test(raw)) {
    const id = Number(raw);
    if (id <= Number.MAX_SAFE_INTEGER) return id;
  }
  return parseOrThrow(itemIdParams, { id: raw }, 'path').id;
}

/** The numeric range of a query parameter; also what the OpenAPI document shows for it. */
const pageNumber = (min: number, max: number) =>
  // After the digits-only check, only a number too large to be exact fails `int`.
  z.int({ error: `must be <= ${max}`, abort: true }).min(min, { error: `must be >= ${min}` }).max(max, { error: `must be <= ${max}` });
export const pageLimit = pageNumber(1, ITEM_LIMITS.pageMaxLimit).default(ITEM_LIMITS.pageDefaultLimit);
export const pageOffset = pageNumber(0, ITEM_LIMITS.offsetMax).default(0);

const queryInt = <S extends z.ZodType<number, number | undefined>>(range: S) =>
  z
    .string({ error: 'must be one non-negative integer' })
    .regex(/^[0-9]+$/, { error: 'must be a non-negative integer' })
    .transform(Number)
    .optional()
    .pipe(range);

export const listQuerySchema = z.object({ limit: queryInt(pageLimit), offset: queryInt(pageOffset) });

/** The JSON shape of an item as the API returns it: the stored fields obey the input rules. */
export const itemSchema = z.strictObject({
  id: itemId,
  name,
  description,
  price,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Item = z.infer<typeof itemSchema>;

/**
 * Validates input and returns the parsed value, or throws a 400 problem naming every bad field.
 * `where` prefixes field paths for query and path parameters (`query.limit`, `path.id`).
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, where?: 'query' | 'path'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.flatMap((issue) => {
    const path = [where, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [path, key].filter(Boolean).join('.'), message: 'is not a known field' }));
    }
    return [{ field: path || (where ?? 'body'), message: issue.message }];
  });
  const summary = errors.map((e) => `${e.field} ${e.message}`).join('; ');
  throw new HttpProblem('validation', `Invalid request: ${summary}.`, errors);
}
