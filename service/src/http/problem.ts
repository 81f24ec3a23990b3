/** RFC 9457 problem details: the one error shape every API response uses. */
import { PROBLEMS_DOC_URL } from '../../../project/constants.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  /** JSON pointer-ish path of the offending input, e.g. `price`, `query.limit`, `path.id`. */
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
}

/** The heading of a type's section in docs/PROBLEMS.md, which is also its GitHub anchor: `malformed-json`. */
export const problemAnchor = (type: ProblemType): string => type.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A problem's `type`: a link to the section explaining it, so a client can look it up. */
export const problemTypeUri = (type: ProblemType): string => `${PROBLEMS_DOC_URL}#${problemAnchor(type)}`;

/** Problem types the API emits; `title` is fixed per type, `detail` varies per occurrence. */
export const PROBLEM_TYPES = {
  validation: { status: 400, title: 'Request validation failed' },
  malformedJson: { status: 400, title: 'Malformed JSON body' },
  notFound: { status: 404, title: 'Resource not found' },
  methodNotAllowed: { status: 405, title: 'Method not allowed' },
  payloadTooLarge: { status: 413, title: 'Request body too large' },
  unsupportedMediaType: { status: 415, title: 'Unsupported media type' },
  injectedFault: { status: 500, title: 'Injected fault' },
  internal: { status: 500, title: 'Internal server error' },
  databaseUnavailable: { status: 503, title: 'Database unavailable' },
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

/** Thrown anywhere in request handling; the error handler turns it into a problem+json response. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly expose = true;

  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = PROBLEM_TYPES[type].status;
  }

  toBody(instance: string, requestId?: string): ProblemBody {
    const { title, status } = PROBLEM_TYPES[this.type];
    return {
      type: problemTypeUri(this.type),
      title,
      status,
      detail: this.detail,
      instance,
      ...(requestId ? { requestId } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}
