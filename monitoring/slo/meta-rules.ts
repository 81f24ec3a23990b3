/**
 * Step 3 of SLO generation: the series dashboards and humans read besides the raw ratios —
 * objective, error budget, current and period burn rate, budget remaining. Each keeps the
 * `namespace` and `job` labels of the SLI series it derives from, so a dashboard filters them
 * like any other series.
 */
import { cleanNumber } from '../promql.js';
import { SLO_LABEL, SLO_SERIES, SLO_WINDOWS } from '../series.js';
import type { RecordingRule } from '../types.js';
import { sloSeries, type SloSpec } from './spec.js';

/** The share of events allowed to be bad: 1 - objective, without binary noise. */
export const errorBudget = (spec: SloSpec): number => cleanNumber(1 - spec.objective);

/** The window the "current" burn rate looks at: the shortest recorded one. */
export const CURRENT_WINDOW = SLO_WINDOWS[0];

export function metadataRecordingRules(spec: SloSpec): RecordingRule[] {
  const budget = errorBudget(spec);
  const periodRatio = sloSeries(spec, SLO_SERIES.errorRatio(spec.period));
  // Constants are derived from the period ratio (`x * 0 + c`) to inherit its namespace/job labels.
  const rules: Array<[record: string, expr: string]> = [
    [SLO_SERIES.objective, `${periodRatio} * 0 + ${spec.objective}`],
    [SLO_SERIES.errorBudget, `${periodRatio} * 0 + ${budget}`],
    // Burn rate 1 spends exactly the budget over the period; 14.4 spends it in about two days.
    [SLO_SERIES.currentBurnRate, `${sloSeries(spec, SLO_SERIES.errorRatio(CURRENT_WINDOW))} / ${budget}`],
    [SLO_SERIES.periodBurnRate, `${periodRatio} / ${budget}`],
    // Negative once the period's budget is overspent.
    [SLO_SERIES.budgetRemaining, `1 - ${sloSeries(spec, SLO_SERIES.periodBurnRate)}`],
  ];
  return rules.map(([record, expr]) => ({ record, expr, labels: { [SLO_LABEL]: spec.id } }));
}
