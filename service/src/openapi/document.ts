import { z } from 'zod';
import { APP_NAME, APP_VERSION } from '../../../project/constants.js';
import { ITEM_LIMITS } from '../items/limits.js';
import { itemCreateSchema, itemPatchSchema, itemSchema } from '../items/schema.js';

const json = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
};

const itemResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
});

const jsonBody = (ref: string) => ({ required: true, content: { 'application/json': { schema: { $ref: ref } } } });

const unavailable = problemResponse('Database unavailable (retry after the Retry-After header)');

/** The OpenAPI 3.0 document served at `/openapi.json`, built from the same zod schemas that validate requests. */
export function buildOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: {
      title: APP_NAME,
      version: APP_VERSION,
      description: 'Items CRUD API. Errors follow RFC 9457 (application/problem+json) and name the offending field.',
    },
    paths: {
      '/items': {
        get: {
          summary: 'List items, oldest first',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: ITEM_LIMITS.pageMaxLimit, default: ITEM_LIMITS.pageDefaultLimit } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: ITEM_LIMITS.offsetMax, default: 0 } },
          ],
          responses: {
            200: { description: 'A page of items', content: { 'application/json': { schema: { $ref: '#/components/schemas/ItemPage' } } } },
            400: problemResponse('Invalid limit or offset'),
            503: unavailable,
          },
        },
        post: {
          summary: 'Create an item',
          requestBody: jsonBody('#/components/schemas/ItemCreate'),
          responses: {
            201: itemResponse('Created'),
            400: problemResponse('Invalid body or malformed JSON'),
            413: problemResponse('Body too large'),
            415: problemResponse('Body is not JSON'),
            503: unavailable,
          },
        },
      },
      '/items/{id}': {
        parameters: [idParam],
        get: { summary: 'Get one item', responses: { 200: itemResponse('The item'), 400: problemResponse('Bad id'), 404: problemResponse('No such item'), 503: unavailable } },
        put: {
          summary: 'Replace an item (omitted description becomes null)',
          requestBody: jsonBody('#/components/schemas/ItemCreate'),
          responses: { 200: itemResponse('Replaced'), 400: problemResponse('Bad id or body'), 404: problemResponse('No such item'), 503: unavailable },
        },
        patch: {
          summary: 'Change some fields of an item',
          requestBody: jsonBody('#/components/schemas/ItemPatch'),
          responses: { 200: itemResponse('Updated'), 400: problemResponse('Bad id or body'), 404: problemResponse('No such item'), 503: unavailable },
        },
        delete: { summary: 'Delete an item', responses: { 204: { description: 'Deleted' }, 400: problemResponse('Bad id'), 404: problemResponse('No such item'), 503: unavailable } },
      },
      '/livez': { get: { summary: 'Liveness: the process runs', responses: { 200: { description: 'Alive' } } } },
      '/readyz': { get: { summary: 'Readiness: database reachable, migrations applied, not shutting down', responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready' } } } },
      '/health': { get: { summary: 'Alias of /readyz for clients of the previous project', responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready' } } } },
    },
    components: {
      schemas: {
        Item: json(itemSchema, 'output'),
        ItemCreate: json(itemCreateSchema, 'input'),
        ItemPatch: json(itemPatchSchema, 'input'),
        ItemPage: {
          type: 'object',
          required: ['items', 'limit', 'offset'],
          properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Item' } }, limit: { type: 'integer' }, offset: { type: 'integer' } },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            requestId: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
