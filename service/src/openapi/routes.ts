import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Router from '@koa/router';
import { createRequire } from 'node:module';
import type { AppState } from '../http/context.js';
import { buildOpenApiDocument } from './document.js';

const require = createRequire(import.meta.url);

/** Swagger UI assets come from the `swagger-ui-dist` package on disk: the docs page works offline. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>items-api docs</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// Inline scripts would need a CSP exception; a separate file keeps the page CSP-friendly.
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });\n`;

export function docsRouter(): Router<AppState> {
  const router = new Router<AppState>();
  const document = buildOpenApiDocument();
  const assetDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Buffer>();

  router.get('/openapi.json', (ctx) => {
    ctx.body = document;
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = DOCS_PAGE;
  });
  router.get('/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = INIT_SCRIPT;
  });
  router.get('/docs/:asset', async (ctx, next) => {
    const asset = ctx.params.asset ?? '';
    const type = ASSETS[asset];
    if (!type) return next();
    let content = cache.get(asset);
    if (!content) {
      content = await readFile(path.join(assetDir, asset));
      cache.set(asset, content);
    }
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = content;
  });
  return router;
}
