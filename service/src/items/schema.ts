import { z } from 'zod';
import type { FieldError } from '../http/problem.js';
import { HttpProblem } from '../http/problem.js';
import { ITEM_LIMITS } from './limits.js';

/** Rejects text PostgreSQL cannot store (NUL) or that is not valid Unicode (lone surrogates). */
const storableText = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((s) => !s.includes('\u0000'), { error: 'must not contain NUL characters' })
    .refine((s) => s.isWellFormed(), { error: 'must be valid Unicode' });

const name = storableText(ITEM_LIMITS.nameMaxLength).refine((s) => s.trim().length > 0, { error: 'must not be blank' });
const description = storableText(ITEM_LIMITS.descriptionMaxLength).nullable();
const price = z
  .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number') })
  .min(0, { error: 'must not be negative' })
  .max(ITEM_LIMITS.priceMax, { error: `must be at most ${ITEM_LIMITS.priceMax}` })
  .refine((p) => Number(p.toFixed(ITEM_LIMITS.priceScale)) === p, { error: 'must have at most 2 decimal places' });

export const itemCreateSchema = z.strictObject({ name, price, description: description.optional() });
/** PUT replaces the item: an omitted description becomes null. */
export const itemReplaceSchema = itemCreateSchema;
export const itemPatchSchema = z
  .strictObject({ name: name.optional(), price: price.optional(), description: description.optional() })
  .refine((body) => Object.keys(body).length > 0, { error: 'must contain at least one of name, price, description' });

export type ItemCreate = z.infer<typeof itemCreateSchema>;
export type ItemPatch = z.infer<typeof itemPatchSchema>;

/** Path ids: positive integers in JavaScript's exact range, so they survive JSON round trips. */
export const itemIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, { error: 'must be a positive integer' })
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), { error: 'is out of range' });

export const itemIdParams = z.object({ id: itemIdSchema });

const queryInt = (fallback: number, min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,10}$/, { error: 'must be a non-negative integer' })
    .transform(Number)
    .pipe(z.number().min(min, { error: `must be >= ${min}` }).max(max, { error: `must be <= ${max}` }))
    .optional()
    .transform((v) => v ?? fallback);

export const listQuerySchema = z.object({
  limit: queryInt(ITEM_LIMITS.pageDefaultLimit, 1, ITEM_LIMITS.pageMaxLimit),
  offset: queryInt(0, 0, ITEM_LIMITS.offsetMax),
});

/** The JSON shape of an item as the API returns it. */
export const itemSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  description: z.string().nullable(),
  price: z.number(),
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
