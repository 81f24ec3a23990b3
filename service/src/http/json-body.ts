import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
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
 * Written here rather than taken from a body-parser package, which decodes invalid UTF-8 into
 * U+FFFD without a word and refuses `__proto__` as "malformed JSON": this one reads the bytes once,
 * decodes them strictly in the same pass, and leaves every decision about the parsed value (not an
 * object, unknown fields such as `__proto__`) to the route's schema, which names the field.
 */
export function jsonBody(limitBytes: number): Middleware<AppState> {
  return async (ctx, next) => {
    const headers = ctx.req.headers;
    refuseByHeaders(headers, limitBytes);
    ctx.request.body = parse(await readBody(ctx.req, limitBytes));
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
 * The body's bytes, at most `limitBytes`. A stream that fails or ends early becomes a 400: its
 * `ECONNRESET` must not pass for a database outage, and a client that left is not a server error.
 */
function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (req.destroyed) {
      reject(incomplete());
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onIncomplete);
      req.off('close', onIncomplete);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        // The rest keeps flowing with no listener and is discarded, so the connection stays usable.
        done();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
    };
    const onIncomplete = () => {
      done();
      reject(incomplete());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onIncomplete);
    req.on('close', onIncomplete);
  });
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
