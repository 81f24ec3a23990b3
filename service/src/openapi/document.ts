import { z } from 'zod';
import { APP_NAME, APP_VERSION } from '../../../project/constants.js';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, problemTypeUri, type ProblemType } from '../http/problem.js';
import { REQUEST_ID_HEADER } from '../http/request-id.js';
import { itemCreateSchema, itemId, itemPatchSchema, itemSchema, pageLimit, pageOffset } from '../items/schema.js';

/*
 * Everything the validator checks reaches the document from the zod schemas that do the checking
 * (items/schema.ts); nothing here restates a limit. Statuses come from PROBLEM_TYPES, so a
 * response the document lists always has a problem type, and the other way round.
 */

type Json = Record<string, unknown>;

/** `throw`: a rule zod cannot express must fail the build of the document, not vanish from it. */
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Json =>
  nullableAllOf(z.toJSONSchema(schema, { io, unrepresentable: 'throw', target: 'openapi-3.0' }) as Json);

/**
 * OpenAPI 3.0's `nullable` adds null only to the `type` beside it (as 3.0.3 clarifies), and zod
 * writes the extra `pattern`s of a nullable string as `allOf` members whose own `type: string`
 * still refuses null: a validator reading the document strictly (ajv) refused `"description": null`.
 * The members of a nullable schema's `allOf` that state a type are made nullable too.
 */
function nullableAllOf(schema: Json): Json {
  if (schema.nullable === true && Array.isArray(schema.allOf)) {
    schema.allOf = (schema.allOf as Json[]).map((member) => ('type' in member ? { ...member, nullable: true } : member));
  }
  for (const value of Object.values(schema)) {
    for (const child of Array.isArray(value) ? value : [value]) if (child !== null && typeof child === 'object') nullableAllOf(child as Json);
  }
  return schema;
}

const ref = (kind: 'schemas' | 'responses', name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** The responses of the item operations that are problems, by status; each lists the types it can carry. */
const PROBLEM_RESPONSES = {
  400: { name: 'BadRequest', description: 'The request breaks the API\'s rules (`errors` names each offending field) or its body is not JSON' },
  404: { name: 'NotFound', description: 'No item has this id' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than the service accepts (`BODY_LIMIT_BYTES`)' },
  415: { name: 'UnsupportedMediaType', description: 'The body is not sent as application/json, or is compressed' },
  500: { name: 'InternalError', description: 'A bug (details only in the log, found by `requestId`), or a fault injected on purpose (`FAULT_INJECTION=true`)' },
  503: { name: 'Unavailable', description: 'The database cannot answer in time; retry after `Retry-After` seconds' },
} as const;
type ProblemStatus = keyof typeof PROBLEM_RESPONSES;

/** The problem schema narrowed to one status and the types that come with it. */
function problemResponse(status: ProblemStatus): Json {
  const types = (Object.keys(PROBLEM_TYPES) as ProblemType[]).filter((type) => PROBLEM_TYPES[type].status === status);
  if (types.length === 0) throw new Error(`no problem type has status ${status}; PROBLEM_TYPES and the document disagree`);
  const schema = {
    allOf: [
      ref('schemas', 'Problem'),
      {
        type: 'object',
        properties: {
          type: { type: 'string', enum: types.map(problemTypeUri) },
          title: { type: 'string', enum: types.map((type) => PROBLEM_TYPES[type].title) },
          status: { type: 'integer', enum: [status] },
        },
      },
    ],
  };
  const retryAfter = status === 503 ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } } } } : {};
  return { description: PROBLEM_RESPONSES[status].description, ...retryAfter, content: { [PROBLEM_CONTENT_TYPE]: { schema } } };
}

const problems = (...statuses: ProblemStatus[]): Json => Object.fromEntries(statuses.map((status) => [status, ref('responses', PROBLEM_RESPONSES[status].name)]));

const itemResponse = (description: string, extra: Json = {}) => ({
  description,
  ...extra,
  content: { 'application/json': { schema: ref('schemas', 'Item') } },
});

const jsonBody = (schema: string) => ({ required: true, content: { 'application/json': { schema: ref('schemas', schema) } } });

/** Follow-ups to a created item: `$response.body#/id` is the new item's id. */
const CREATED_ITEM_LINKS = {
  GetItem: { operationId: 'getItem', parameters: { id: '$response.body#/id' }, description: 'Read the item just created' },
  ReplaceItem: { operationId: 'replaceItem', parameters: { id: '$response.body#/id' }, description: 'Replace the item just created' },
  UpdateItem: { operationId: 'updateItem', parameters: { id: '$response.body#/id' }, description: 'Change fields of the item just created' },
  DeleteItem: { operationId: 'deleteItem', parameters: { id: '$response.body#/id' }, description: 'Delete the item just created' },
};

// The probes' answers (health/routes.ts builds them); the conformance test checks them against these.
const liveness = z.strictObject({ status: z.literal('ok') });
const readiness = z.strictObject({
  status: z.enum(['ready', 'not ready']),
  checks: z.strictObject({
    database: z.enum(['ok', 'unreachable']),
    migrations: z.enum(['ok', 'pending']),
    shutdown: z.enum(['no', 'in progress']),
  }),
  checkedAt: z.iso.datetime().nullable(),
});
const probe = (summary: string, operationId: string, schema: 'Liveness' | 'Readiness', statuses: Record<number, string>) => ({
  get: {
    summary,
    operationId,
    responses: Object.fromEntries(
      Object.entries(statuses).map(([status, description]) => [status, { description, content: { 'application/json': { schema: ref('schemas', schema) } } }]),
    ),
  },
});

/** The OpenAPI 3.0 document served at `/openapi.json`. */
export function buildOpenApiDocument(): Json {
  return {
    openapi: '3.0.3',
    info: {
      title: APP_NAME,
      version: APP_VERSION,
      description: `Items CRUD API. Errors follow RFC 9457 (${PROBLEM_CONTENT_TYPE}) and name the offending field; every answer carries the ${REQUEST_ID_HEADER} header. Text is counted in Unicode code points; bodies are UTF-8 JSON.`,
    },
    paths: {
      '/items': {
        get: {
          summary: 'List items, oldest first',
          operationId: 'listItems',
          parameters: [
            { name: 'limit', in: 'query', required: false, schema: jsonSchema(pageLimit, 'input') },
            { name: 'offset', in: 'query', required: false, schema: jsonSchema(pageOffset, 'input') },
          ],
          responses: {
            200: { description: 'A page of items', content: { 'application/json': { schema: ref('schemas', 'ItemPage') } } },
            ...problems(400, 500, 503),
          },
        },
        post: {
          summary: 'Create an item',
          operationId: 'createItem',
          requestBody: jsonBody('ItemCreate'),
          responses: {
            201: itemResponse('Created', {
              headers: { Location: { description: 'The new item: `/items/{id}`', required: true, schema: { type: 'string' } } },
              links: CREATED_ITEM_LINKS,
            }),
            ...problems(400, 413, 415, 500, 503),
          },
        },
      },
      '/items/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: jsonSchema(itemId, 'input') }],
        get: { summary: 'Get one item', operationId: 'getItem', responses: { 200: itemResponse('The item'), ...problems(400, 404, 500, 503) } },
        put: {
          summary: 'Replace an item (an omitted description becomes null)',
          operationId: 'replaceItem',
          requestBody: jsonBody('ItemCreate'),
          responses: { 200: itemResponse('Replaced'), ...problems(400, 404, 413, 415, 500, 503) },
        },
        patch: {
          summary: 'Change some fields of an item (at least one)',
          operationId: 'updateItem',
          requestBody: jsonBody('ItemPatch'),
          responses: { 200: itemResponse('Updated'), ...problems(400, 404, 413, 415, 500, 503) },
        },
        delete: { summary: 'Delete an item', operationId: 'deleteItem', responses: { 204: { description: 'Deleted' }, ...problems(400, 404, 500, 503) } },
      },
      '/livez': probe('Liveness: the process runs', 'getLiveness', 'Liveness', { 200: 'Alive' }),
      '/readyz': probe('Readiness: database reachable, migrations applied, not shutting down', 'getReadiness', 'Readiness', { 200: 'Ready', 503: 'Not ready' }),
      '/health': probe('Alias of /readyz', 'getHealth', 'Readiness', { 200: 'Ready', 503: 'Not ready' }),
    },
    components: {
      schemas: {
        Item: jsonSchema(itemSchema, 'output'),
        ItemCreate: jsonSchema(itemCreateSchema, 'input'),
        ItemPatch: jsonSchema(itemPatchSchema, 'input'),
        ItemPage: {
          type: 'object',
          required: ['items', 'limit', 'offset'],
          additionalProperties: false,
          properties: {
            items: { type: 'array', items: ref('schemas', 'Item'), maxItems: jsonSchema(pageLimit, 'input').maximum },
            // The values used, so without the request's defaults.
            limit: jsonSchema(pageLimit.unwrap(), 'output'),
            offset: jsonSchema(pageOffset.unwrap(), 'output'),
          },
        },
        Liveness: jsonSchema(liveness, 'output'),
        Readiness: jsonSchema(readiness, 'output'),
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'instance', 'requestId'],
          additionalProperties: false,
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string', description: 'The request path' },
            requestId: { type: 'string', description: `Also in the ${REQUEST_ID_HEADER} header; finds the request's log line` },
            errors: {
              type: 'array',
              minItems: 1,
              items: { type: 'object', required: ['field', 'message'], additionalProperties: false, properties: { field: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
      responses: Object.fromEntries(Object.entries(PROBLEM_RESPONSES).map(([status, { name }]) => [name, problemResponse(Number(status) as ProblemStatus)])),
    },
  };
}
