/**
 * Reading one answer of Prometheus' HTTP API: its `data`, or a `PrometheusApiError` naming the
 * request, where it went, and what came back.
 */
import { excerpt } from '../excerpt.js';
import type { TransportAnswer, TransportRequest } from './transport.js';

/** Prometheus answered with `status: "error"`, or not with its API at all. */
export class PrometheusApiError extends Error {
  override name = 'PrometheusApiError';
  constructor(
    message: string,
    /** `bad_data`, `execution`, `timeout`, … or `http` when the answer was not the API's JSON (or none came). */
    readonly errorType: string,
    readonly expr?: string,
  ) {
    super(message);
  }
}

interface ApiEnvelope<T> {
  status?: unknown;
  data: T;
  errorType?: string;
  error?: string;
}

export interface AnsweredRequest {
  readonly request: TransportRequest;
  /** The transport's label. */
  readonly where: string;
  /** The PromQL expression of a query, named in its errors. */
  readonly expr?: string;
}

/**
 * The answer's `data` when Prometheus reports success; Prometheus' own error (bad_data, …) names
 * the expression or path; anything else (a proxy's error page, a 503 with no Prometheus behind it)
 * is an `http` error with the status and an excerpt of the body.
 */
export function apiData<T>(answer: TransportAnswer, { request, where, expr }: AnsweredRequest): T {
  let envelope: ApiEnvelope<T> | undefined;
  try {
    envelope = JSON.parse(answer.body) as ApiEnvelope<T> | undefined;
  } catch {
    envelope = undefined;
  }
  if (envelope?.status === 'success') return envelope.data;
  if (envelope?.status === 'error') {
    const subject = expr === undefined ? request.path : `query ${JSON.stringify(expr)}`;
    const errorType = envelope.errorType ?? 'error';
    throw new PrometheusApiError(`Prometheus (${where}) rejected ${subject}: ${errorType}: ${envelope.error ?? answer.body}`, errorType, expr);
  }
  throw new PrometheusApiError(`${request.method} ${request.path} on Prometheus (${where}): HTTP ${answer.status} ${excerpt(answer.body)}`, 'http', expr);
}
