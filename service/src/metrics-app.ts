import Router from '@koa/router';
import Koa from 'koa';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { SCRAPE } from '../../project/constants.js';
import type { FaultState } from './faults/faults.js';
import { faultsUpdateSchema } from './faults/faults.js';

export interface MetricsAppDeps {
  registry: Registry;
  /** Present only when FAULT_INJECTION=true: then `/faults` exists on this internal port. */
  faults: FaultState | undefined;
}

/** The internal port: `/metrics` for Prometheus, and the fault switchboard when enabled. */
export function createMetricsApp({ registry, faults }: MetricsAppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  router.get(SCRAPE.path, async (ctx) => {
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });
  if (faults) {
    router.get('/faults', (ctx) => {
      ctx.body = faults.snapshot();
    });
    router.put('/faults', async (ctx) => {
      const raw = await readJson(ctx.req);
      const parsed = faultsUpdateSchema.safeParse(raw);
      if (!parsed.success) {
        ctx.status = 400;
        ctx.body = { error: z.prettifyError(parsed.error) };
        return;
      }
      faults.set(parsed.data);
      ctx.body = faults.snapshot();
    });
  }
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

async function readJson(req: NodeJS.ReadableStream): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 4096) return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
