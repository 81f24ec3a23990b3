/** The transport to a Prometheus this machine reaches directly (the local stack's), over fetch. */
import type { HttpTransport } from './transport.js';

export interface FetchTransportOptions {
  /** Per-request limit. @default 10_000 */
  readonly requestTimeoutMs?: number;
  /** Injected for tests of the client itself. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** Requests to `baseUrl` (e.g. `http://127.0.0.1:9090`, no trailing slash), each bounded by the per-request limit. */
export function fetchTransport(baseUrl: string, opts: FetchTransportOptions = {}): HttpTransport {
  const send = opts.fetch ?? globalThis.fetch;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  return {
    label: baseUrl,
    async send({ method, path, headers, body }) {
      const url = `${baseUrl}${path}`;
      try {
        const res = await send(url, { method, headers, body, signal: AbortSignal.timeout(requestTimeoutMs) });
        return { status: res.status, body: await res.text() };
      } catch (error) {
        throw new Error(`${method} ${url}: ${noAnswerReason(error, requestTimeoutMs)}`, { cause: error });
      }
    },
  };
}

/** fetch says only `fetch failed`; the reason (`connect ECONNREFUSED …`) is in its cause. */
function noAnswerReason(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
