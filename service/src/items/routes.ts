import Router, { type RouterMiddleware } from '@koa/router';
import type { Metrics } from '../metrics/metrics.js';
import type { AppState } from '../http/context.js';
import { HttpProblem } from '../http/problem.js';
import type { ItemsRepository } from './repository.js';
import { itemCreateSchema, itemPatchSchema, itemReplaceSchema, listQuerySchema, parseItemId, parseOrThrow } from './schema.js';

type BusinessCounters = Pick<Metrics, 'itemsCreated' | 'itemsRead' | 'itemsUpdated' | 'itemsDeleted'>;

export interface ItemsRouterDeps {
  items: ItemsRepository;
  /** Absent when instrumentation is off (benchmark baseline). */
  counters: BusinessCounters | undefined;
  /**
   * Fault injection, run inside each matched route so injected errors carry the route template
   * in their metrics. Absent unless FAULT_INJECTION=true.
   */
  faults?: RouterMiddleware<AppState> | undefined;
  /** Parses the JSON body of POST, PUT and PATCH; runs after the route matched (see jsonBody). */
  body: RouterMiddleware<AppState>;
}

const notFound = (id: number) => new HttpProblem('notFound', `Item ${id} does not exist.`, [{ field: 'path.id', message: 'no item has this id' }]);

/** The items CRUD API. Business counters move only after the database confirmed the change. */
export function itemsRouter({ items, counters, faults, body }: ItemsRouterDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/items' });
  const pre: Array<RouterMiddleware<AppState>> = faults ? [faults] : [];
  const idOf = (params: Record<string, string | undefined>) => parseItemId(params.id);

  router.get('/', ...pre, async (ctx) => {
    const page = parseOrThrow(listQuerySchema, ctx.query, 'query');
    const found = await items.list(page);
    counters?.itemsRead.inc(found.length);
    ctx.body = { items: found, limit: page.limit, offset: page.offset };
  });

  router.post('/', ...pre, body, async (ctx) => {
    const input = parseOrThrow(itemCreateSchema, ctx.request.body);
    const created = await items.create(input);
    counters?.itemsCreated.inc();
    ctx.status = 201;
    ctx.set('Location', `/items/${created.id}`);
    ctx.body = created;
  });

  router.get('/:id', ...pre, async (ctx) => {
    const id = idOf(ctx.params);
    const item = await items.findById(id);
    if (!item) throw notFound(id);
    counters?.itemsRead.inc();
    ctx.body = item;
  });

  router.put('/:id', ...pre, body, async (ctx) => {
    const id = idOf(ctx.params);
    const input = parseOrThrow(itemReplaceSchema, ctx.request.body);
    const updated = await items.update(id, { ...input, description: input.description ?? null });
    if (!updated) throw notFound(id);
    counters?.itemsUpdated.inc();
    ctx.body = updated;
  });

  router.patch('/:id', ...pre, body, async (ctx) => {
    const id = idOf(ctx.params);
    const changes = parseOrThrow(itemPatchSchema, ctx.request.body);
    const updated = await items.update(id, changes);
    if (!updated) throw notFound(id);
    counters?.itemsUpdated.inc();
    ctx.body = updated;
  });

  router.delete('/:id', ...pre, async (ctx) => {
    const id = idOf(ctx.params);
    if (!(await items.remove(id))) throw notFound(id);
    counters?.itemsDeleted.inc();
    ctx.status = 204;
  });

  return router;
}
