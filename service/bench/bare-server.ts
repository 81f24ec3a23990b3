/**
 * The baseline `make bench` compares items-api with: Koa + @koa/router + pg and nothing else, on
 * the same database, answering the same three routes with the same JSON (six fields, numbers,
 * ISO timestamps) from named prepared statements. No validation beyond what the SQL needs, no
 * metrics, no logging, no request ids. Run compiled, like the service (see `bench.ts`).
 *
 * Environment: DATABASE_URL, PORT, DB_POOL_MAX (default 10).
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import http from 'node:http';
import pg from 'pg';

interface Row {
  id: string;
  name: string;
  description: string | null;
  price: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, description, price, created_at, updated_at';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
pool.on('error', () => undefined);

const toItem = (row: Row) => ({
  id: Number(row.id),
  name: row.name,
  description: row.description,
  price: Number(row.price),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const router = new Router();
router.get('/readyz', (ctx) => {
  ctx.body = { status: 'ready' };
});
router.get('/items/:id', async (ctx) => {
  const { rows } = await pool.query<Row>({ name: 'bare_find_by_id', text: `select ${COLUMNS} from items where id = $1`, values: [Number(ctx.params.id)] });
  const row = rows[0];
  if (!row) {
    ctx.status = 404;
    ctx.body = { error: 'not found' };
    return;
  }
  ctx.body = toItem(row);
});
router.get('/items', async (ctx) => {
  const limit = Number(ctx.query.limit ?? 20);
  const offset = Number(ctx.query.offset ?? 0);
  const { rows } = await pool.query<Row>({ name: 'bare_list', text: `select ${COLUMNS} from items order by id asc limit $1 offset $2`, values: [limit, offset] });
  ctx.body = { items: rows.map(toItem), limit, offset };
});
router.post('/items', bodyParser({ enableTypes: ['json'] }), async (ctx) => {
  const body = ctx.request.body as { name: string; price: number; description?: string | null };
  const { rows } = await pool.query<Row>({
    name: 'bare_create',
    text: `insert into items (name, price, description) values ($1, $2, $3) returning ${COLUMNS}`,
    values: [body.name, String(body.price), body.description ?? null],
  });
  const item = toItem(rows[0] as Row);
  ctx.status = 201;
  ctx.set('Location', `/items/${item.id}`);
  ctx.body = item;
});

const app = new Koa();
app.use(router.routes());
const server = http.createServer(app.callback());
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3040), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
