/**
 * `docs/PROBLEMS.md`: a section per problem type of the API, the page every problem's `type` URI
 * links into. Status and title come from the service's own list (service/src/http/problem.ts); the
 * prose is here, keyed by the same type names, so a new problem type does not compile until it is
 * explained.
 */
import { PROBLEMS_DOC_PATH } from '../project/constants.js';
import { generatedHeader } from '../project/generated.js';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, problemAnchor, problemTypeUri, type ProblemType } from '../service/src/http/problem.js';
import { REQUEST_ID_HEADER } from '../service/src/http/request-id.js';

export interface ProblemDoc {
  /** When the service answers with this type. */
  readonly when: string;
  /** What the answer carries beyond the common members (headers, `errors`); omitted when nothing. */
  readonly carries?: string;
  /** What a client should do about it. */
  readonly client: string;
}

export const PROBLEM_DOCS: { readonly [T in ProblemType]: ProblemDoc } = {
  validation: {
    when: 'The request is well-formed, but its body, a body field, a query parameter or a path parameter breaks the API\'s rules: a body that is missing (no `Content-Length`, `Content-Length: 0`, or chunked with no chunks), is not a JSON object (an array, a string, `null`), or is not valid UTF-8; a missing or unknown field (`__proto__` too: it is a field name like any other); a wrong type; text that is not valid Unicode (an escaped lone surrogate such as `\\ud800`); a value out of range; a `limit` or `offset` that is not an integer in range; an id that is not a positive integer.',
    carries: '`errors`: one `{field, message}` per offending input, every one found, not only the first. Body fields are named as they are (`price`, `__proto__`); a problem with the body as a whole as `body` (`body must be valid UTF-8`); query and path parameters with a prefix (`query.limit`, `path.id`).',
    client: 'Fix the named fields. Sending the same request again gives the same answer.',
  },
  malformedJson: {
    when: 'A request that takes a JSON body (`POST /items`, `PUT` and `PATCH /items/:id`) sent UTF-8 text that is not JSON: a syntax error (`detail` quotes the parser). Also a body that ended before it was complete: shorter than its `Content-Length`, or cut off by the connection. Valid JSON is never this problem: a body that is JSON but not an acceptable item is a [validation](#validation) problem.',
    client: 'Send well-formed JSON; `detail` says what is wrong. A body that ended early can be sent again as it is.',
  },
  notFound: {
    when: 'No item has the id in the path, or no route has the path at all.',
    carries: '`errors` names `path.id` when the item does not exist.',
    client: 'For an item, it was never created or has been deleted. For a path, check it against the OpenAPI document (`/openapi.json`).',
  },
  methodNotAllowed: {
    when: 'The path exists, but not with this method (for example `DELETE /items`, or a method no route implements, such as `TRACE`).',
    carries: 'The `Allow` header lists the methods the path supports (RFC 9110).',
    client: 'Use one of the methods in `Allow`.',
  },
  payloadTooLarge: {
    when: 'The body is larger than the service accepts (`BODY_LIMIT_BYTES`, see `.env.example`).',
    client: 'Send a smaller body.',
  },
  unsupportedMediaType: {
    when: 'A route that takes a body got one it cannot read: sent as any media type other than `application/json`, or without `Content-Type` (parameters are ignored: a JSON body is read as UTF-8 whatever its `charset`); or compressed (a `Content-Encoding` other than `identity`).',
    carries: 'For a compressed body, the `Accept-Encoding: identity` header: the service reads bodies only uncompressed (RFC 9110 section 12.5.3).',
    client: 'Send the body uncompressed, as `application/json`.',
  },
  injectedFault: {
    when: 'Fault injection is on (`FAULT_INJECTION=true`, off by default) and this request was picked to fail (`errorRate` of `PUT :9464/faults`). Only demonstrations and alert tests turn it on.',
    client: 'Nothing: the failure is deliberate. Turn it off with `PUT :9464/faults` and `{"errorRate":0}`.',
  },
  internal: {
    when: 'Something the service did not expect failed: a bug. Its details are in the service\'s log, never in the answer.',
    carries: `\`requestId\` (also the \`${REQUEST_ID_HEADER}\` header) finds the log line with the error.`,
    client: `Report it with the \`requestId\`. Retrying may give the same answer.`,
  },
  databaseUnavailable: {
    when: 'The database cannot answer in time: it is down, unreachable, hung, or every pooled connection stayed busy past the acquire timeout. Answered fast, within the configured bounds, rather than after a long wait.',
    carries: 'The `Retry-After` header (seconds).',
    client: 'Retry after `Retry-After` seconds, with backoff. `/readyz` answers 503 while the database is unreachable (not while the pool is only busy).',
  },
};

function section(type: ProblemType): string[] {
  const { status, title } = PROBLEM_TYPES[type];
  const doc = PROBLEM_DOCS[type];
  return [
    `## ${problemAnchor(type)}`,
    '',
    `Status **${status}**, title "${title}", \`type\` \`${problemTypeUri(type)}\``,
    '',
    `**When:** ${doc.when}`,
    '',
    ...(doc.carries ? [`**Carries:** ${doc.carries}`, ''] : []),
    `**What to do:** ${doc.client}`,
    '',
  ];
}

export function problemsMarkdown(): string {
  const types = Object.keys(PROBLEM_TYPES) as ProblemType[];
  return [
    generatedHeader('docs/generate.ts', 'md'),
    '# Problem types of items-api',
    '',
    `Every error the API answers is an RFC 9457 problem (\`${PROBLEM_CONTENT_TYPE}\`). Its \`type\` is a`,
    'link to one section of this page; compare `type`, not `title`, to tell problems apart. The',
    'members:',
    '',
    '- `type`: which problem, as a link to its section below;',
    '- `title`: the same for every occurrence of a type;',
    '- `status`: the HTTP status, repeated;',
    '- `detail`: this occurrence, in words;',
    '- `instance`: the request path;',
    `- \`requestId\`: the request's id, also in the \`${REQUEST_ID_HEADER}\` response header and the service's log;`,
    '- `errors`: `{field, message}` per offending input, when inputs are to blame.',
    '',
    'A 5xx never carries the cause; the log line with the same `requestId` does.',
    '',
    '| type | status | title |',
    '|---|---|---|',
    ...types.map((type) => `| [\`${problemAnchor(type)}\`](#${problemAnchor(type)}) | ${PROBLEM_TYPES[type].status} | ${PROBLEM_TYPES[type].title} |`),
    '',
    ...types.flatMap(section),
  ].join('\n');
}

export const problemsFile = () => ({ path: PROBLEMS_DOC_PATH, content: problemsMarkdown() });
