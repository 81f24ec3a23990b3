/**
 * Step 4 of SLO generation: multi-window, multi-burn-rate alerts (SRE workbook, chapter 5). A
 * condition holds when the burn rate is above its factor over a long window (enough budget is
 * gone to matter) and over a short one (it is still going on, so the alert stops soon after the
 * burn does). One alert per SLO and policy: the page `or`s its conditions, and so does the ticket.
 */
import type { AlertDefinition } from '../alerts/define.js';
import type { BurnRateAlertPolicy, BurnRateWindow } from '../config.js';
import { cleanNumber, durationSeconds } from '../promql.js';
import { SLO_SERIES, type SloWindow } from '../series.js';
import { errorBudget } from './meta-rules.js';
import { explain, percent, sloSeries, type SloSpec } from './spec.js';

const SPEED_WORDS: Readonly<Record<BurnRateAlertPolicy['speed'], string>> = { Fast: 'fast', Slow: 'slowly' };

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Share of the period's budget spent when a condition first holds: factor × long / period. */
export const budgetSpentAtThreshold = (window: BurnRateWindow, period: string): number =>
  cleanNumber((window.factor * durationSeconds(window.long)) / durationSeconds(period));

export const burnRateAlertName = (prefix: string, spec: SloSpec, policy: BurnRateAlertPolicy): string =>
  `${prefix}${capitalise(spec.id)}${policy.speed}Burn`;

/** `ratio_rate<long> / budget > factor and ratio_rate<short> / budget > factor`; value: the long-window burn rate. */
export function conditionExpr(spec: SloSpec, window: BurnRateWindow): string {
  const budget = errorBudget(spec);
  const burn = (w: SloWindow) => `${sloSeries(spec, SLO_SERIES.errorRatio(w))} / ${budget} > ${window.factor}`;
  return [`  ${burn(window.long)}`, 'and', `  ${burn(window.short)}`].join('\n');
}

export function burnRateAlertExpr(spec: SloSpec, policy: BurnRateAlertPolicy): string {
  return policy.windows.map((window) => `(\n${conditionExpr(spec, window)}\n)`).join('\nor\n');
}

/** "14.4× over 1h and 5m (2 % of the 30d budget gone)" */
const conditionText = (window: BurnRateWindow, period: string): string =>
  `${window.factor}× over ${window.long} and ${window.short} (${percent(budgetSpentAtThreshold(window, period))} of the ${period} budget gone)`;

export function burnRateAlert(spec: SloSpec, policy: BurnRateAlertPolicy, prefix: string): AlertDefinition {
  const conditions = policy.windows.map((window) => conditionText(window, spec.period)).join(', or ');
  return {
    name: burnRateAlertName(prefix, spec, policy),
    severity: policy.severity,
    expr: burnRateAlertExpr(spec, policy),
    for: policy.for,
    summary: (t) => `${spec.job} ${spec.id} SLO in ${t.label('namespace')} is burning its error budget ${SPEED_WORDS[policy.speed]}`,
    description: (t) =>
      `${capitalise(spec.badEvents)} are using up the error budget at ${t.value('humanize')}× the rate that would spend it ` +
      `exactly over ${spec.period} (burn rate over the long window). SLO: ${explain(spec)} ` +
      `This alert fires at a burn rate of ${conditions}.`,
    clusterOnly: false,
    ...(spec.localTrigger !== undefined && { localTrigger: spec.localTrigger }),
  };
}

/** The alerts of one SLO, one per policy (page, then ticket). */
export function burnRateAlerts(spec: SloSpec, policies: readonly BurnRateAlertPolicy[], prefix: string): AlertDefinition[] {
  return policies.map((policy) => burnRateAlert(spec, policy, prefix));
}

/** The long-window burn rate a known error ratio gives: what `$value` of a firing alert is. */
export const burnRateOf = (spec: SloSpec, errorRatio: number): number => cleanNumber(errorRatio / errorBudget(spec));
