import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import type { AppState } from './context.js';
import { HttpProblem } from './problem.js';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body, set by `jsonBody` on the routes that take one; the route validates it. */
    body?: unknown;
  }
}

/**
 * The JSON body of a route that takes one. Mounted on each such route, after the router matched
 * it, so that a refused body (400, 413, 415) keeps the route's label in the metrics, and a method
 * the path does not support is answered 405 before any body is read.
 *
 * raw-body reads the bytes (limit, early end); the rest is here rather than in a body-parser
 * package, which decodes invalid UTF-8 into U+FFFD without a word and refuses `__proto__` as
 * "malformed JSON": the bytes are decoded strictly, and every decision about the parsed value (not
 * an object, unknown fields such as `__proto__`) is left to the route's schema, which names the field.
 */
export function jsonBody(limitBytes: number): Middleware<AppState> {
  return async (ctx, next) => {
    const req = ctx.req;
    refuseByHeaders(req.headers, limitBytes);
    let bytes: Buffer;
    try {
      // With `length`, a body shorter or longer than its Content-Length is refused as well.
      bytes = await getRawBody(req, { length: req.headers['content-length'], limit: limitBytes });
    } catch (err) {
      throw readFailure(err, req, limitBytes);
    }
    ctx.request.body = parse(bytes);
    return next();
  };
}

/** `fatal`: invalid UTF-8 throws instead of becoming U+FFFD. Stateless between calls, so shared. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const bodyError = (message: string) => new HttpProblem('validation', `Invalid request: body ${message}.`, [{ field: 'body', message }]);

/** What the headers alone decide, before a byte is read. */
function refuseByHeaders(headers: IncomingHttpHeaders, limitBytes: number): void {
  const length = headers['content-length'];
  // Without Content-Length or Transfer-Encoding a request has no body (RFC 9112 section 6.3).
  if (length === undefined ? headers['transfer-encoding'] === undefined : length === '0') throw bodyError('is required');
  const type = mediaType(headers['content-type']);
  if (type !== 'application/json') {
    throw new HttpProblem('unsupportedMediaType', `The body is sent as ${type ? type.slice(0, 100) : 'no Content-Type'}; send it as application/json.`);
  }
  const coding = headers['content-encoding'];
  if (coding !== undefined && coding.trim().toLowerCase() !== 'identity') {
    throw new HttpProblem('unsupportedMediaType', `Content-Encoding ${coding.slice(0, 100)} is not supported; send the body uncompressed.`, undefined, {
      'Accept-Encoding': 'identity',
    });
  }
  if (length !== undefined && Number(length) > limitBytes) throw tooLarge(limitBytes);
}

/** The media type without parameters, lower case (`Application/JSON; charset=utf-8` → `application/json`). */
function mediaType(header: string | undefined): string {
  if (header === undefined) return '';
  const semicolon = header.indexOf(';');
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
}

const tooLarge = (limitBytes: number) =>
  new HttpProblem('payloadTooLarge', `The request body is larger than ${limitBytes} bytes; send at most ${limitBytes} bytes.`);

/**
 * raw-body's refusals in this API's words. A stream that fails or ends early (`request.aborted`,
 * `request.size.invalid`, a socket error such as `ECONNRESET`, a request already destroyed:
 * `stream.not.readable`) becomes a 400: its `ECONNRESET` must not pass for a database outage, and
 * a client that left is not a server error.
 */
function readFailure(err: unknown, req: IncomingMessage, limitBytes: number): unknown {
  const type = err instanceof Error && 'type' in err ? err.type : undefined;
  if (type === 'entity.too.large') {
    // raw-body leaves the request paused; the rest is read and discarded so that the connection
    // can carry the next request (Node only discards a body nobody started reading).
    req.resume();
    return tooLarge(limitBytes);
  }
  // An encoding set on the request is a bug in this service, not the client's doing: a 500.
  if (type === 'stream.encoding.set') return err;
  return incomplete();
}

const incomplete = () => new HttpProblem('malformedJson', 'The request body ended before it was complete; send it again.');

function parse(bytes: Buffer): unknown {
  // Chunked with no chunks: as empty as no body at all.
  if (bytes.length === 0) throw bodyError('is required');
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw bodyError('must be valid UTF-8');
  }
  try {
    // A plain JSON.parse: `__proto__` becomes an own property (no prototype is touched), which
    // the strict schemas then name as an unknown field.
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpProblem('malformedJson', `The body is not valid JSON (${(err as SyntaxError).message}); send a JSON object.`);
  }
}
