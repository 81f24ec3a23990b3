/**
 * The shape of an SLO spec (Sloth-style): what an event is, which events are bad, the objective
 * and the period. Rules are generated from specs by the steps in this folder.
 */
import { eq, selector } from '../promql.js';
import { SLO_LABEL, type SloId, type SloWindow } from '../series.js';

export interface SliEvents {
  /** Per-second rate of all events over `window`, `sum by (namespace, job)`. */
  readonly total: (window: SloWindow) => string;
  /**
   * Per-second rate of bad events over `window`, `sum by (namespace, job)`. May return no series
   * when no bad event ever happened (a counter series is born with its first increment); the
   * error-ratio rule turns that into 0.
   */
  readonly bad: (window: SloWindow) => string;
}

export interface SloSpec {
  readonly id: SloId;
  /** `job` label of the service's series; the recorded SLO series keep it. */
  readonly job: string;
  /** The promise in plain words, completing "<objective> of …": "API requests are not answered with a 5xx". */
  readonly promise: string;
  /** What a bad event is, plural: "failed (5xx) API requests". */
  readonly badEvents: string;
  /** Share of events that must be good over the period, e.g. 0.995. */
  readonly objective: number;
  readonly period: SloWindow;
  readonly sli: SliEvents;
  /** Why the SLI counts what it counts; ends up in the rule file header and the runbooks. */
  readonly notes: readonly string[];
  /** How to burn this SLO's budget on the local stack (live alert tests, demos). */
  readonly localTrigger?: string;
}

/** `0.995` → `99.5 %`. */
export const percent = (ratio: number): string => `${Number((ratio * 100).toPrecision(10))} %`;

/**
 * The error budget as "k in N" with the smallest N from 1000 up that makes k whole:
 * 0.995 → "5 in 1000", 0.99 → "10 in 1000", 0.9995 → "5 in 10000".
 */
export function allowance(objective: number): { bad: number; outOf: number } {
  for (let outOf = 1000; outOf <= 1e9; outOf *= 10) {
    const bad = Number(((1 - objective) * outOf).toPrecision(10));
    if (bad >= 1 && Number.isInteger(bad)) return { bad, outOf };
  }
  throw new Error(`objective ${objective} has no whole "k in N" form below N = 1e9`);
}

/** One sentence a reader of the rule file or a runbook understands without PromQL. */
export function explain(spec: SloSpec): string {
  const { bad, outOf } = allowance(spec.objective);
  return `${percent(spec.objective)} of ${spec.promise}, over ${spec.period}: we allow ${bad} ${spec.badEvents} in ${outOf}.`;
}

/** `<series>{job="…", slo="…"}`: a recorded series of this SLO. */
export const sloSeries = (spec: SloSpec, name: string): string => selector(name, [eq('job', spec.job), eq(SLO_LABEL, spec.id)]);
