/**
 * Names of the series the SLO recording rules produce. This file is the contract between the
 * rules (which record them), the dashboards and the docs (which query them).
 *
 * Every SLO series carries the labels `namespace`, `job` (from the scraped target) and `slo`
 * (one of SLO_IDS), so the dashboards' namespace filter works on them as on raw series.
 */

/** Windows over which the SLI error ratio is recorded (SRE workbook, chapter 5, table 5-8). */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];

/** Ids of the SLOs of items-api; the value of the `slo` label. */
export const SLO_IDS = ['availability', 'latency'] as const;
export type SloId = (typeof SLO_IDS)[number];

export const SLO_LABEL = 'slo';

export const SLO_SERIES = {
  /**
   * Per-second rate of SLI events (API requests) over the shortest window; the longer windows'
   * ratios are built from it, so no rule reads 30 days of raw samples.
   */
  eventRate: (window: SloWindow) => `slo:sli_events:rate${window}`,
  /** Per-second rate of bad SLI events over the shortest window; 0, not absent, when none happened. */
  badEventRate: (window: SloWindow) => `slo:sli_bad_events:rate${window}`,
  /** Share of bad events over the window, 0..1. */
  errorRatio: (window: SloWindow) => `slo:sli_error:ratio_rate${window}`,
  /** The target, e.g. 0.995. */
  objective: 'slo:objective:ratio',
  /** 1 - objective: the share of events allowed to be bad. */
  errorBudget: 'slo:error_budget:ratio',
  /** Burn rate over the shortest window (5m): 1 means spending the budget exactly over the period. */
  currentBurnRate: 'slo:current_burn_rate:ratio',
  /** Burn rate over the whole SLO period (30d). */
  periodBurnRate: 'slo:period_burn_rate:ratio',
  /** Share of the period's error budget still unspent, 1 - period burn rate (negative when overspent). */
  budgetRemaining: 'slo:period_error_budget_remaining:ratio',
} as const;

/**
 * Labels every SLO series keeps from the scraped target: the SLI rules aggregate
 * `sum by (namespace, job)` and add SLO_LABEL, so one SLO has one series per deployment.
 */
export const SLO_AGGREGATION_LABELS = ['namespace', 'job'] as const;
