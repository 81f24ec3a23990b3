/**
 * The five operations of the CRUD mix as k6 requests, each checked and tagged with its operation.
 * Reads, updates and deletes use ids from the VU's own pool (mix.ts), so they hit real rows.
 */
import { type JSONValue, check } from 'k6';
import http from 'k6/http';
import type { RefinedResponse, ResponseType } from 'k6/http';
import { type ItemPool, type Operation, OPERATION_TAG } from './mix.ts';

export interface CrudContext {
  readonly baseUrl: string;
  readonly pool: ItemPool;
  readonly random: () => number;
}

type Response = RefinedResponse<ResponseType | undefined>;

const JSON_HEADERS = { 'Content-Type': 'application/json' };
/** Page offsets a list request asks for: the first pages, as a UI would. */
const LIST_OFFSETS = [0, 0, 0, 20, 40];

function body(res: Response): Record<string, JSONValue> | undefined {
  try {
    const value = res.json();
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, JSONValue>) : undefined;
  } catch {
    return undefined;
  }
}

function newItem(ctx: CrudContext): { name: string; price: number; description: string } {
  return {
    name: `k6 item ${Math.floor(ctx.random() * 1e9)}`,
    price: Math.round(ctx.random() * 100_000) / 100,
    description: 'created by the k6 load test',
  };
}

/**
 * `name` groups every id under one template so URLs never become label values; `op` is the
 * operation. Both also tag the checks, so a failed check says which operation failed.
 */
const tagsOf = (op: Operation, name: string) => ({ [OPERATION_TAG]: op, name });

const operations: Readonly<Record<Operation, (ctx: CrudContext) => void>> = {
  list(ctx) {
    const offset = LIST_OFFSETS[Math.floor(ctx.random() * LIST_OFFSETS.length)] ?? 0;
    const tags = tagsOf('list', '/items');
    const res = http.get(`${ctx.baseUrl}/items?limit=20&offset=${offset}`, { tags });
    check(res, { 'list: status 200': (r) => r.status === 200, 'list: has items': (r) => Array.isArray(body(r)?.items) }, tags);
  },

  create(ctx) {
    const tags = tagsOf('create', '/items');
    const item = newItem(ctx);
    const res = http.post(`${ctx.baseUrl}/items`, JSON.stringify(item), { headers: JSON_HEADERS, tags });
    const id = body(res)?.id;
    check(res, { 'create: status 201': (r) => r.status === 201, 'create: returns its id': () => typeof id === 'number' }, tags);
    if (res.status === 201 && typeof id === 'number') ctx.pool.add(id);
  },

  get(ctx) {
    const id = ctx.pool.pick(ctx.random());
    if (id === undefined) return operations.create(ctx);
    const tags = tagsOf('get', '/items/:id');
    const res = http.get(`${ctx.baseUrl}/items/${id}`, { tags });
    check(res, { 'get: status 200': (r) => r.status === 200, 'get: the item asked for': (r) => body(r)?.id === id }, tags);
  },

  update(ctx) {
    const id = ctx.pool.pick(ctx.random());
    if (id === undefined) return operations.create(ctx);
    const tags = tagsOf('update', '/items/:id');
    const item = newItem(ctx);
    const res = http.put(`${ctx.baseUrl}/items/${id}`, JSON.stringify(item), { headers: JSON_HEADERS, tags });
    check(res, { 'update: status 200': (r) => r.status === 200, 'update: new price stored': (r) => body(r)?.price === item.price }, tags);
  },

  delete(ctx) {
    const id = ctx.pool.pick(ctx.random());
    if (id === undefined) return operations.create(ctx);
    const tags = tagsOf('delete', '/items/:id');
    const res = http.del(`${ctx.baseUrl}/items/${id}`, null, { tags });
    check(res, { 'delete: status 204': (r) => r.status === 204 }, tags);
    // Forgotten even on failure: retrying a delete that failed would skew the mix towards deletes.
    ctx.pool.remove(id);
  },
};

/**
 * Runs one operation. get/update/delete with no item of this VU yet create one instead, so the
 * first iterations of a VU lean towards creates; over a run the mix converges to MIX.
 */
export function runOperation(op: Operation, ctx: CrudContext): void {
  operations[op](ctx);
}
