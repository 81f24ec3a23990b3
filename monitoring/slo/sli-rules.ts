/**
 * Step 2 of SLO generation: the SLI as recorded series.
 *
 * 1. Over the shortest window (5m), the rate of events and of bad events, from the raw series.
 * 2. For every window, the share of bad events, `slo:sli_error:ratio_rate<window>`. Longer windows
 *    sum the 5m rates over the window (kubernetes-mixin does the same for its API-server SLOs):
 *    sum_over_time(bad)/sum_over_time(all) is the share of bad events, smoothed by 5m at the
 *    edges, and it reads one recorded series instead of 30 days of every raw series.
 *
 * No traffic is not an error and not "no data":
 * - no bad event ever (a counter series is born with its first increment, so the 5xx series may
 *   not exist): `bad or 0 * all` makes the bad rate 0;
 * - no event in a window: 0/0 would be NaN, which compares false in alerts but poisons sums and
 *   shows as gaps; the ratio is 0 (nothing failed), via `all == 0`.
 * A ratio is absent only when the service never served an API request.
 */
import { indent } from '../promql.js';
import { SLO_LABEL, SLO_SERIES, SLO_WINDOWS, type SloWindow } from '../series.js';
import type { RecordingRule } from '../types.js';
import { sloSeries, type SloSpec } from './spec.js';

/** The window the event rates are recorded over; every ratio is built from it. */
export const BASE_WINDOW: SloWindow = SLO_WINDOWS[0];

/** Step 2a: rates of all and of bad events over the base window, from the raw series. */
export function eventRateRules(spec: SloSpec): RecordingRule[] {
  const all = spec.sli.total(BASE_WINDOW);
  const labels = { [SLO_LABEL]: spec.id };
  return [
    { record: SLO_SERIES.eventRate(BASE_WINDOW), expr: all, labels },
    {
      record: SLO_SERIES.badEventRate(BASE_WINDOW),
      expr: [spec.sli.bad(BASE_WINDOW), 'or', `0 * ${indent(all, 4)}`].join('\n'),
      labels,
    },
  ];
}

/** `bad / all`, or 0 when `all` is 0. */
function ratioOrZero(bad: string, all: string): string {
  return [bad, `  / (${all} > 0)`, 'or', `${all} == 0`].join('\n');
}

/** Step 2b: the error ratio over `window`, from the recorded base-window rates. */
export function errorRatioExpr(spec: SloSpec, window: SloWindow): string {
  const bad = sloSeries(spec, SLO_SERIES.badEventRate(BASE_WINDOW));
  const all = sloSeries(spec, SLO_SERIES.eventRate(BASE_WINDOW));
  if (window === BASE_WINDOW) return ratioOrZero(bad, all);
  return ratioOrZero(`sum_over_time(${bad}[${window}])`, `sum_over_time(${all}[${window}])`);
}

export function errorRatioRules(spec: SloSpec, windows: readonly SloWindow[] = SLO_WINDOWS): RecordingRule[] {
  return windows.map((window) => ({ record: SLO_SERIES.errorRatio(window), expr: errorRatioExpr(spec, window), labels: { [SLO_LABEL]: spec.id } }));
}

/** Steps 2a and 2b, in evaluation order. */
export const sliRecordingRules = (spec: SloSpec, windows: readonly SloWindow[] = SLO_WINDOWS): RecordingRule[] => [
  ...eventRateRules(spec),
  ...errorRatioRules(spec, windows),
];
