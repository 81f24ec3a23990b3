import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { startHarness, type Harness } from './support/harness.js';
import { validate, type JsonSchema, type SchemaError } from './support/json-schema.js';

/*
 * The service against its own OpenAPI document, served at /openapi.json: requests are generated
 * from the document (operations, parameters, body schemas, and the links from a created item to
 * the operations on it), sent to the real service on a real PostgreSQL, and each answer is judged
 * by the document through a validator independent of zod (ajv, as support/json-schema.ts sets it up):
 *
 * - a request the document says is valid is accepted (2xx, or 404 for an item the model says is gone);
 * - one it says is invalid gets a documented 4xx problem+json naming what the document found wrong;
 * - no request gets a 5xx;
 * - every answer has a documented status, media type, schema and required headers.
 *
 * A model of the stored items (reset with the table before each sequence) checks what the
 * successful answers contain. CONFORMANCE_RUNS sets the number of sequences.
 */

const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 60);
const BODY_LIMIT = 16 * 1024;

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required?: boolean;
  schema: JsonSchema;
}
interface Link {
  operationId: string;
  parameters: Record<string, string>;
}
interface Response {
  description: string;
  headers?: Record<string, { required?: boolean; schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema }>;
  links?: Record<string, Link>;
}
interface Operation {
  operationId: string;
  method: string;
  path: string;
  parameters: Parameter[];
  body: JsonSchema | undefined;
  responses: Record<string, Response>;
}
interface Document extends JsonSchema {
  paths: Record<string, Record<string, unknown> & { parameters?: Parameter[] }>;
  components: { schemas: Record<string, JsonSchema> };
}

let h: Harness;
let doc: Document;
let operations: Map<string, Operation>;

before(async () => {
  h = await startHarness({ BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  doc = (await (await fetch(`${h.api}/openapi.json`)).json()) as Document;
  operations = operationsOf(doc);
});
after(() => h.close());

function deref<T>(value: unknown): T {
  const ref = (value as { $ref?: string }).$ref;
  if (!ref) return value as T;
  let target: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) target = (target as Record<string, unknown>)[part];
  return deref<T>(target);
}

function operationsOf(document: Document): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method] as { operationId: string; parameters?: Parameter[]; requestBody?: unknown; responses: Record<string, unknown> } | undefined;
      if (!op) continue;
      const requestBody = op.requestBody === undefined ? undefined : deref<{ content: Record<string, { schema: JsonSchema }> }>(op.requestBody);
      found.set(op.operationId, {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])],
        body: requestBody?.content['application/json']?.schema,
        responses: Object.fromEntries(Object.entries(op.responses).map(([status, r]) => [status, deref<Response>(r)])),
      });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Generation: values from a schema, mostly valid, with the near misses that test each rule.

const INT32 = 2 ** 31 - 1;

function integerIn(schema: JsonSchema): fc.Arbitrary<number> {
  const min = (schema.minimum as number | undefined) ?? -INT32;
  const max = (schema.maximum as number | undefined) ?? INT32;
  return fc.oneof(fc.integer({ min, max: Math.min(max, min + 50) }), fc.integer({ min, max }));
}

/** A string that can break a string rule: blank, NUL, a lone surrogate, or one past the length. */
function nearMissString(schema: JsonSchema): fc.Arbitrary<string> {
  const max = schema.maxLength as number | undefined;
  const misses: Array<fc.Arbitrary<string>> = [fc.constantFrom('', ' ', '\t\n', 'a\u0000b', '\u0000', 'a\ud800', '\udc00b')];
  if (max !== undefined) misses.push(fc.string({ unit: 'binary', minLength: max + 1, maxLength: max + 3 }), fc.constant('🙂'.repeat(max + 1)));
  return fc.oneof(...misses);
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const max = (schema.maxLength as number | undefined) ?? 200;
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: Math.min(max, 40) }),
    fc.string({ unit: 'grapheme', maxLength: Math.min(max, 20) }),
    // Exactly at the limit, in characters that take two UTF-16 units.
    fc.constant('🙂'.repeat(max)),
    fc.string({ unit: 'binary', minLength: max, maxLength: max }),
  );
}

function numberIn(schema: JsonSchema): fc.Arbitrary<number> {
  const min = (schema.minimum as number | undefined) ?? -1e9;
  const max = (schema.maximum as number | undefined) ?? 1e9;
  const step = schema.multipleOf as number | undefined;
  if (step === undefined) return fc.double({ min, max, noNaN: true });
  const places = Math.round(-Math.log10(step));
  // k / 10^places is the double nearest to that decimal, so it is exactly a multiple as sent.
  return fc.integer({ min: Math.ceil(min / step), max: Math.floor(max / step) }).map((k) => k / 10 ** places);
}

function nearMissNumber(schema: JsonSchema): fc.Arbitrary<unknown> {
  const misses: Array<fc.Arbitrary<unknown>> = [fc.double(), fc.constantFrom(0.1 + 0.2, 1.005, -0.01, 1e21, '1.00')];
  if (typeof schema.maximum === 'number') misses.push(fc.constant(schema.maximum + 0.01), fc.constant(schema.maximum * 10));
  if (typeof schema.minimum === 'number') misses.push(fc.constant(schema.minimum - 1));
  return fc.oneof(...misses);
}

/** Mostly valid for `schema`; about one value in eight breaks one of its rules (or its type). */
function valueFor(schemaOrRef: JsonSchema): fc.Arbitrary<unknown> {
  const schema = deref<JsonSchema>(schemaOrRef);
  const merged: JsonSchema = { ...schema };
  for (const part of (schema.allOf as JsonSchema[] | undefined) ?? []) Object.assign(merged, deref<JsonSchema>(part), { type: schema.type ?? part.type });
  const wrongType = fc.constantFrom<unknown>(42, 'text', true, [], {});
  let valid: fc.Arbitrary<unknown>;
  let miss: fc.Arbitrary<unknown>;
  switch (merged.type) {
    case 'string':
      valid = validString(merged);
      miss = nearMissString(merged);
      break;
    case 'number':
      valid = numberIn(merged);
      miss = nearMissNumber(merged);
      break;
    case 'integer':
      valid = integerIn(merged);
      miss = fc.constantFrom(0.5, -1, Number.MAX_SAFE_INTEGER + 2);
      break;
    case 'object':
      valid = objectFor(merged);
      miss = fc.constantFrom<unknown>([], null, 'text', 1);
      break;
    default:
      throw new Error(`no generator for type ${String(merged.type)}`);
  }
  if (merged.nullable === true) valid = fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: fc.constant(null) });
  return fc.oneof({ weight: 14, arbitrary: valid }, { weight: 1, arbitrary: miss }, { weight: 1, arbitrary: wrongType });
}

/** `null` seven times in eight (fc.option's `freq` is the other way round: null one time in freq). */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

/** Required properties present (sometimes one is dropped), optional ones sometimes, sometimes an unknown one. */
function objectFor(schema: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
  const required = (schema.required as string[] | undefined) ?? [];
  const names = Object.keys(properties);
  return fc
    .tuple(
      fc.record(Object.fromEntries(names.map((name) => [name, valueFor(properties[name] as JsonSchema)])), { requiredKeys: required }),
      rarely(fc.constantFrom(...(required.length ? required : names))),
      rarely(fc.constantFrom('colour', 'id', '__proto__', 'createdAt')),
    )
    .map(([record, drop, extra]) => {
      const out: Record<string, unknown> = { ...record };
      if (drop !== null) delete out[drop];
      if (extra !== null) Object.defineProperty(out, extra, { value: 1, enumerable: true, configurable: true, writable: true });
      return out;
    });
}

/** A parameter's text: a valid value, or text that is not one (never an ambiguous form like "05"). */
function parameterText(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.type !== 'integer') throw new Error(`no generator for a ${String(schema.type)} parameter`);
  // Not '', '.' or '..': as a path segment those change the path itself (`/items/` is the list).
  const junk = fc.oneof(fc.constantFrom('abc', '1.5', '1e3', '-1', ' 1', '0x10', '%F0%9F%99%82'), fc.string({ maxLength: 8 })).filter((s) => !/^([0-9]*|\.|\.\.)$/.test(s));
  const outside = fc.constantFrom(...[(schema.minimum as number) - 1, (schema.maximum as number) + 1, 9223372036854775807n].filter((n) => typeof n === 'bigint' || Number.isFinite(n)).map(String));
  return fc.oneof({ weight: 8, arbitrary: integerIn(schema).map(String) }, { weight: 1, arbitrary: outside }, { weight: 1, arbitrary: junk });
}

type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string; contentType: string }
  | { kind: 'none' };

function bodyFor(schema: JsonSchema): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 24, arbitrary: valueFor(schema).map((value): Body => ({ kind: 'json', value })) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"name":', 'nul', '[1,]', '{"a" 1}', '{} {}').map((text): Body => ({ kind: 'text', text, contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml').map((contentType): Body => ({ kind: 'text', text: '{"name":"x","price":1}', contentType })) },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'text', text: JSON.stringify({ name: 'x', price: 1, description: 'd'.repeat(BODY_LIMIT) }), contentType: 'application/json' }) },
  );
}

/** A path id: one of the items the model holds (by index), or any generated text. */
type PathId = { live: number } | { text: string };

interface Request {
  op: Operation;
  pathId?: PathId;
  query: Array<[string, string]>;
  body: Body | undefined;
}

function requestFor(op: Operation, pathId?: fc.Arbitrary<PathId>): fc.Arbitrary<Request> {
  const idParam = op.parameters.find((p) => p.in === 'path');
  const idArb: fc.Arbitrary<PathId | undefined> = !idParam
    ? fc.constant(undefined)
    : (pathId ?? fc.oneof({ weight: 3, arbitrary: fc.nat().map((live): PathId => ({ live })) }, { weight: 2, arbitrary: parameterText(idParam.schema).map((text): PathId => ({ text })) }));
  const query = fc.tuple(...op.parameters.filter((p) => p.in === 'query').map((p) => fc.option(parameterText(p.schema).map((v): [string, string] => [p.name, v]), { freq: 2 })));
  return fc.record({
    op: fc.constant(op),
    pathId: idArb,
    query: query.map((pairs) => pairs.filter((p): p is [string, string] => p !== null)),
    body: op.body ? bodyFor(op.body) : fc.constant(undefined),
  });
}

// ---------------------------------------------------------------------------------------------
// The model, and judging one exchange.

interface StoredItem {
  name: string;
  price: number;
  description: string | null;
}
interface Model {
  items: Map<number, StoredItem>;
  /** Bodies of 201 answers, for following their links. */
  created: unknown[];
}

/** What the document finds wrong with a request: the statuses that may answer it and the fields named. */
interface Verdict {
  statuses: Set<number>;
  /** Per place (path, query, body), the fields a 400 must name: the service names one place at a time. */
  fields: string[][];
}

const fieldName = (where: 'path' | 'query' | 'body', errors: SchemaError[], name?: string) =>
  errors.map((e) => (where === 'body' ? (e.path.join('.') || 'body') : `${where}.${name}`));

function judge(req: Request, idText: string | undefined, bodyValue: unknown): Verdict {
  const verdict: Verdict = { statuses: new Set(), fields: [] };
  const invalid400 = (fields: string[]) => {
    verdict.statuses.add(400);
    verdict.fields.push(fields);
  };
  // Integers as JSON writes them; anything else ("-0", "1e3") stays text, which no integer schema accepts.
  const integerText = (text: string) => (/^(0|-?[1-9][0-9]*)$/.test(text) ? Number(text) : text);
  for (const p of req.op.parameters) {
    const text = p.in === 'path' ? idText : req.query.find(([name]) => name === p.name)?.[1];
    if (text === undefined) continue;
    const errors = validate(p.schema, integerText(text), doc);
    if (errors.length) invalid400(fieldName(p.in, errors, p.name));
  }
  const body = req.body;
  if (req.op.body && body) {
    if (body.kind === 'none') invalid400(['body']);
    else if (body.kind === 'text' && body.contentType !== 'application/json') verdict.statuses.add(415);
    else if (Buffer.byteLength(body.kind === 'json' ? JSON.stringify(body.value) : body.text) > BODY_LIMIT) verdict.statuses.add(413);
    else if (body.kind === 'text') verdict.statuses.add(400);
    else {
      const errors = validate(req.op.body, bodyValue, doc);
      if (errors.length) invalid400(fieldName('body', errors));
    }
  }
  return verdict;
}

const mediaType = (header: string | null) => (header ?? '').split(';')[0]?.trim() ?? '';

/** The answer as the document describes it: status, media type, schema, required headers. */
function checkDocumented(op: Operation, res: globalThis.Response, text: string, where: string): unknown {
  const documented = op.responses[String(res.status)];
  assert.ok(documented, `${where}: ${res.status} is not documented for ${op.operationId} (documented: ${Object.keys(op.responses).join(', ')}): ${text.slice(0, 300)}`);
  for (const [name, header] of Object.entries(documented.headers ?? {})) {
    if (header.required) assert.ok(res.headers.get(name) !== null, `${where}: header ${name} is required`);
  }
  if (!documented.content) {
    assert.equal(text, '', `${where}: ${res.status} has no documented body`);
    return undefined;
  }
  const type = mediaType(res.headers.get('content-type'));
  const content = documented.content[type];
  assert.ok(content, `${where}: ${res.status} answered ${type}; documented: ${Object.keys(documented.content).join(', ')}`);
  const body = JSON.parse(text) as unknown;
  const errors = validate(content.schema, body, doc);
  assert.deepEqual(errors, [], `${where}: the ${res.status} body does not match its documented schema: ${text.slice(0, 500)}`);
  return body;
}

function pathOf(req: Request, idText: string | undefined): string {
  const path = req.op.path.replace('{id}', encodeURIComponent(idText ?? ''));
  const query = req.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return query ? `${path}?${query}` : path;
}

function liveIds(model: Model): number[] {
  return [...model.items.keys()].sort((a, b) => a - b);
}

/** Answers seen, by operation and status: the run must have reached both sides of every rule. */
const seen = new Map<string, number>();

/** Sends `req`, judges the answer, and updates the model. `idText` overrides the path id (links). */
async function exchange(model: Model, req: Request, idOverride?: string): Promise<void> {
  let idText = idOverride;
  if (idText === undefined && req.pathId) {
    const ids = liveIds(model);
    // With nothing stored, an index names an id no item has.
    idText = 'text' in req.pathId ? req.pathId.text : String(ids.length ? ids[req.pathId.live % ids.length] : 1 + req.pathId.live);
  }
  const init: RequestInit = { method: req.op.method };
  let sent: unknown;
  if (req.body?.kind === 'json') {
    const text = JSON.stringify(req.body.value);
    sent = JSON.parse(text) as unknown; // what the service sees: NaN became null, -0 became 0
    init.body = text;
    init.headers = { 'content-type': 'application/json' };
  } else if (req.body?.kind === 'text') {
    init.body = req.body.text;
    init.headers = { 'content-type': req.body.contentType };
  } else if (req.body?.kind === 'none') {
    init.headers = { 'content-type': 'application/json' };
  }
  const path = pathOf(req, idText);
  const where = `${req.op.method} ${path.slice(0, 120)} ${init.body === undefined ? '' : String(init.body).slice(0, 200)}`;
  const res = await fetch(`${h.api}${path}`, init);
  const text = await res.text();
  const key = `${req.op.operationId} ${res.status}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
  assert.ok(res.status < 500, `${where}: ${res.status} ${text.slice(0, 300)}`);
  const answer = checkDocumented(req.op, res, text, where);

  const verdict = judge(req, idText, sent);
  if (verdict.statuses.size > 0) {
    assert.ok(verdict.statuses.has(res.status), `${where}: the document finds it invalid (${[...verdict.statuses].join(' or ')} expected), got ${res.status} ${text.slice(0, 300)}`);
    if (res.status === 400 && verdict.fields.length > 0 && (answer as { errors?: unknown }).errors) {
      const named = new Set(((answer as { errors: Array<{ field: string }> }).errors).map((e) => e.field));
      assert.ok(
        verdict.fields.some((fields) => fields.every((f) => named.has(f))),
        `${where}: the document finds ${JSON.stringify(verdict.fields)} wrong; the answer names ${JSON.stringify([...named])}`,
      );
    }
    return;
  }
  expectSuccess(model, req, idText, sent, res, answer, where);
}

/** A request the document finds valid: the answer the model predicts, and the model moves on. */
function expectSuccess(model: Model, req: Request, idText: string | undefined, sent: unknown, res: globalThis.Response, answer: unknown, where: string): void {
  const id = idText === undefined ? undefined : Number(idText);
  const stored = id === undefined ? undefined : model.items.get(id);
  const fields = (item: unknown): StoredItem => {
    const { name, price, description } = item as StoredItem;
    return { name, price, description };
  };
  const input = sent as Partial<StoredItem>;
  switch (req.op.operationId) {
    case 'createItem': {
      assert.equal(res.status, 201, where);
      const created = answer as StoredItem & { id: number };
      assert.deepEqual(fields(created), { name: input.name, price: input.price, description: input.description ?? null }, where);
      assert.equal(res.headers.get('location'), `/items/${created.id}`, where);
      assert.ok(!model.items.has(created.id), `${where}: id ${created.id} reused`);
      model.items.set(created.id, fields(created));
      model.created.push(created);
      return;
    }
    case 'listItems': {
      assert.equal(res.status, 200, where);
      const page = answer as { items: unknown[]; limit: number; offset: number };
      const limit = Number(req.query.find(([k]) => k === 'limit')?.[1] ?? 20);
      const offset = Number(req.query.find(([k]) => k === 'offset')?.[1] ?? 0);
      assert.deepEqual({ limit: page.limit, offset: page.offset }, { limit, offset }, where);
      const expected = liveIds(model).slice(offset, offset + limit).map((i) => ({ id: i, ...model.items.get(i) }));
      assert.deepEqual(page.items.map((item) => ({ id: (item as { id: number }).id, ...fields(item) })), expected, where);
      return;
    }
    case 'getLiveness':
    case 'getReadiness':
    case 'getHealth':
      assert.equal(res.status, 200, where);
      return;
  }
  if (!stored || id === undefined) {
    assert.equal(res.status, 404, `${where}: no item ${idText} in the model`);
    return;
  }
  switch (req.op.operationId) {
    case 'getItem':
      assert.equal(res.status, 200, where);
      assert.deepEqual(fields(answer), stored, where);
      return;
    case 'replaceItem':
    case 'updateItem': {
      assert.equal(res.status, 200, where);
      const next = req.op.operationId === 'replaceItem' ? { name: input.name, price: input.price, description: input.description ?? null } : { ...stored, ...input };
      assert.deepEqual(fields(answer), next, where);
      assert.equal((answer as { id: number }).id, id, where);
      model.items.set(id, fields(answer));
      return;
    }
    case 'deleteItem':
      assert.equal(res.status, 204, where);
      model.items.delete(id);
      return;
    default:
      throw new Error(`the model does not know ${req.op.operationId}; teach it`);
  }
}

/** `$response.body#/id` and the like: a JSON pointer into the response body. */
function resolveLinkExpression(expression: string, body: unknown): unknown {
  const match = /^\$response\.body#(.*)$/.exec(expression);
  if (!match) throw new Error(`unsupported link expression ${expression}`);
  let value = body;
  for (const part of (match[1] ?? '').split('/').slice(1)) value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return value;
}

class Send implements fc.AsyncCommand<Model, null> {
  constructor(readonly req: Request) {}
  check = () => true;
  run = (model: Model) => exchange(model, this.req);
  toString = () => `send ${this.req.op.operationId} ${JSON.stringify({ id: this.req.pathId, query: this.req.query, body: this.req.body })}`;
}

class FollowLink implements fc.AsyncCommand<Model, null> {
  constructor(
    readonly link: string,
    readonly target: Link,
    readonly pick: number,
    readonly req: Request,
  ) {}
  check = (model: Readonly<Model>) => model.created.length > 0;
  async run(model: Model): Promise<void> {
    const source = model.created[this.pick % model.created.length];
    const [[name, expression] = ['', '']] = Object.entries(this.target.parameters);
    const value = resolveLinkExpression(expression, source);
    const param = this.req.op.parameters.find((p) => p.name === name);
    assert.ok(param, `link ${this.link} fills ${name}, which ${this.req.op.operationId} does not have`);
    assert.deepEqual(validate(param.schema, value, doc), [], `link ${this.link}: ${expression} gives ${JSON.stringify(value)}, not a valid ${name}`);
    await exchange(model, this.req, String(value));
  }
  toString = () => `follow ${this.link} from created #${this.pick} ${JSON.stringify({ body: this.req.body })}`;
}

function commandArbitraries(): Array<fc.Arbitrary<fc.AsyncCommand<Model, null>>> {
  const create = operations.get('createItem');
  assert.ok(create, 'the document has createItem');
  const links = create.responses['201']?.links ?? {};
  const sends = [...operations.values()].map((op) => requestFor(op).map((req) => new Send(req)));
  const follows = Object.entries(links).map(([name, link]) => {
    const op = operations.get(link.operationId);
    assert.ok(op, `link ${name} targets ${link.operationId}, which the document does not have`);
    // The link fills the id; the generated one is unused.
    return fc.tuple(fc.nat(), requestFor(op, fc.constant({ text: '' }))).map(([pick, req]) => new FollowLink(name, link, pick, req));
  });
  // Creating is what the links need, so it is drawn as often as all the other sends together.
  const createSends = requestFor(create).map((req) => new Send(req));
  return [createSends, createSends, createSends, ...sends, ...follows, ...follows];
}

describe('the OpenAPI document states what the service enforces', () => {
  test('the requests issue 13 found valid by the document but refused are invalid by the document', () => {
    const schema = (name: string) => doc.components.schemas[name] as JsonSchema;
    assert.deepEqual(validate(schema('ItemCreate'), { name: '', price: 0.0 }, doc).map((e) => e.path), [['name']]);
    assert.deepEqual(validate(schema('ItemPatch'), {}, doc).map((e) => e.path), [[]]);
    assert.deepEqual(validate(schema('ItemCreate'), { name: '🙂'.repeat(100), price: 9999999999.99 }, doc), []);
    assert.deepEqual(validate(schema('ItemCreate'), { name: 'x', price: 0.1 + 0.2 }, doc).map((e) => e.path), [['price']]);
  });
  test('the oracle reads the document as OpenAPI 3.0 and JSON Schema define it', () => {
    const schema = (name: string) => doc.components.schemas[name] as JsonSchema;
    // `nullable` beside an `allOf` of patterns: every member must let null through (3.0.3).
    assert.deepEqual(validate(schema('ItemCreate'), { name: 'x', price: 1, description: null }, doc), []);
    // multipleOf on the decimal as sent: 0.29 / 0.01 is 28.999999999999996 in floating point.
    assert.deepEqual(validate(schema('ItemCreate'), { name: 'x', price: 0.29 }, doc), []);
    // Lengths in code points: 101 emoji are 101 characters, not 202.
    assert.deepEqual(validate(schema('ItemCreate'), { name: '🙂'.repeat(101), price: 1 }, doc).map((e) => e.path), [['name']]);
    // Every failing field is named: the missing one, the unknown one, the one out of range.
    assert.deepEqual(
      validate(schema('ItemCreate'), { price: -1, colour: 'red' }, doc).map((e) => e.path.join('.')).sort(),
      ['colour', 'name', 'price'],
    );
    // Strict: a keyword the oracle does not know is an error, not a rule silently ignored.
    assert.throws(() => validate({ type: 'string', maxLenght: 3 }, 'long', doc), /unknown keyword/);
  });
  test('every operation that reads a body documents 413 and 415; every item operation documents 400, 500 and 503', () => {
    for (const op of operations.values()) {
      if (op.body) for (const status of ['413', '415']) assert.ok(op.responses[status], `${op.operationId} ${status}`);
      if (op.path.startsWith('/items')) for (const status of ['400', '500', '503']) assert.ok(op.responses[status], `${op.operationId} ${status}`);
    }
  });
  test('a created item links to reading, replacing, changing and deleting it', () => {
    const links = operations.get('createItem')?.responses['201']?.links ?? {};
    assert.deepEqual(
      Object.values(links).map((l) => [l.operationId, l.parameters]).sort(),
      ['deleteItem', 'getItem', 'replaceItem', 'updateItem'].map((id) => [id, { id: '$response.body#/id' }]),
    );
  });
});

describe('property: requests generated from the document, alone and in sequences through its links', () => {
  test(`${RUNS} sequences: valid accepted, invalid 4xx naming the problem, never 5xx, every answer as documented`, async () => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbitraries(), { maxCommands: 40, size: 'large' }), async (cmds) => {
        const setup = async () => {
          await h.db('items').delete();
          return { model: { items: new Map<number, StoredItem>(), created: [] } as Model, real: null };
        };
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: RUNS },
    );
    const seconds = (performance.now() - started) / 1000;
    const sent = [...seen.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(`# openapi conformance: ${sent} requests in ${RUNS} sequences, ${seconds.toFixed(1)} s; ${JSON.stringify(Object.fromEntries([...seen].sort()))}\n`);
    const reached = (status: number) => [...seen.keys()].some((k) => k.endsWith(` ${status}`));
    for (const status of [200, 201, 204, 400, 404, 413, 415]) assert.ok(reached(status), `no request got ${status}: the generators miss a case`);
    for (const op of ['getItem', 'replaceItem', 'updateItem', 'deleteItem']) assert.ok(seen.get(`${op} 200`) ?? seen.get(`${op} 204`), `${op} never succeeded`);
  });
});
