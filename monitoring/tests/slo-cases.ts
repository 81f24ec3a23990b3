/**
 * promtool cases for the SLO rules: the recorded ratios and metadata on known traffic, and each
 * burn-rate alert on both sides of its thresholds and of its `for:`.
 *
 * Timing (1m input steps, rules evaluated every RULE_EVALUATION_INTERVAL = 30s): a 5m rate needs
 * two samples, so every ratio exists from t=1m and a condition true from the start holds at 1m.
 * An alert with `for: 2m` then fires at 3m and is still pending at 2m30s.
 */
import { CONFIG, type BurnRateAlertPolicy } from '../config.js';
import { cleanNumber, durationSeconds, eq, selector } from '../promql.js';
import { SLO_LABEL, SLO_SERIES, SLO_WINDOWS } from '../series.js';
import { burnRateAlertName } from '../slo/alert-rules.js';
import { burnRatePolicies } from '../slo/index.js';
import { itemsApiSlos } from '../slo/items-api.js';
import { errorBudget } from '../slo/meta-rules.js';
import type { SloSpec } from '../slo/spec.js';
import { at, durations, EVALUATION_STEP_S, requests, SECOND_TARGET, TARGET, type Labels } from './inputs.js';
import type { AlertCase, ExprCase, InputSeries } from './promtool.js';

/** API requests per minute in the test streams: every ratio below gives whole counts. */
const PER_MINUTE = 1000;

/** Ratios exist from here (two 1m samples in a 5m window). */
const FIRST_RATIO_S = 60;

/**
 * A burn of 30 minutes followed by 40 good ones. At 65m the 5m and 30m windows hold no bad
 * request any more, while the 1h and 6h windows still average a burn far above 14.4 and 6.
 */
const AFTER_BURN = {
  stretches: (badRatio: number): Stretch[] => [
    [badRatio, 30],
    [0, 40],
  ],
  burnEnds: '30m',
  checkAt: '65m',
};

/** One stretch of traffic: the share of bad requests, how long, and how many requests a minute. */
type Stretch = readonly [badRatio: number, minutes: number, perMinute?: number];

/** Stretches of traffic as the raw series of one SLO's SLI, on one target. */
export function sliStream(spec: SloSpec, stretches: readonly Stretch[], target: Labels = TARGET): InputSeries[] {
  const split = ([ratio, minutes, perMinute = PER_MINUTE]: Stretch) => {
    const bad = Math.round(perMinute * ratio);
    return { all: perMinute, bad, good: perMinute - bad, minutes };
  };
  const parts = stretches.map(split);
  if (spec.id === 'availability') {
    return [
      requests({ status: '500', target }, parts.map((p) => [p.bad, p.minutes])),
      requests({ status: '200', target }, parts.map((p) => [p.good, p.minutes])),
    ];
  }
  return durations({ target }, parts.map((p) => [p.all, p.bad, p.minutes]));
}

/** Labels of every recorded series of an SLO on TARGET. */
const sloLabels = (spec: SloSpec): Labels => ({ job: TARGET.job as string, namespace: TARGET.namespace as string, [SLO_LABEL]: spec.id });

const sloSample = (spec: SloSpec, value: number, labels: Labels = sloLabels(spec)) => ({ labels, value });

/** `slo:…{slo="<id>"}` as a test expression. */
const sloExpr = (spec: SloSpec, name: string) => selector(name, [eq(SLO_LABEL, spec.id)]);

function burnAlertCases(spec: SloSpec, policy: BurnRateAlertPolicy): AlertCase[] {
  const alert = burnRateAlertName(CONFIG.alertNamePrefix, spec, policy);
  const ratioFor = (burn: number) => cleanNumber(burn * errorBudget(spec));
  const fireS = FIRST_RATIO_S + durationSeconds(policy.for);
  const [first, second] = policy.windows;
  if (!first || !second) throw new Error(`${alert}: the promtool cases expect two window pairs`);
  // A burn rate between the two factors fires only the condition with the lower factor.
  const between = cleanNumber((first.factor + second.factor) / 2);
  const below = cleanNumber(Math.min(first.factor, second.factor) * 0.8);
  const firing = (burn: number) => ({ at: at(fireS), alerts: [{ labels: sloLabels(spec), values: { humanize: String(burn) } }] });
  const hours = (n: number) => n * 60;
  const cases: AlertCase[] = [
    {
      name: `fires ${policy.for} after the burn rate reaches ${first.factor * 2} (above ${first.factor} over ${first.long} and ${first.short})`,
      alert,
      input: sliStream(spec, [[ratioFor(first.factor * 2), hours(1)]]),
      silentAt: [at(fireS - EVALUATION_STEP_S)],
      firing: firing(first.factor * 2),
    },
    {
      name: `fires on ${second.long}/${second.short} alone at burn rate ${between} (above ${second.factor}, below ${first.factor})`,
      alert,
      input: sliStream(spec, [[ratioFor(between), hours(1)]]),
      silentAt: [at(fireS - EVALUATION_STEP_S)],
      firing: firing(between),
    },
    {
      name: `stays silent at burn rate ${below}, below both factors`,
      alert,
      input: sliStream(spec, [[ratioFor(below), hours(1)]]),
      silentAt: [at(fireS), at(fireS + 15 * 60)],
    },
  ];
  if (policy.severity === 'critical') {
    // The short windows end the page soon after the burn stops, while the long ones still burn.
    const burn = cleanNumber(first.factor * 3);
    cases.push({
      name: `resolves once the burn has stopped for longer than every short window, although every long window still burns above its factor`,
      alert,
      input: sliStream(spec, AFTER_BURN.stretches(ratioFor(burn))),
      silentAt: [AFTER_BURN.checkAt],
      firing: { at: AFTER_BURN.burnEnds, alerts: [{ labels: sloLabels(spec), values: { humanize: String(burn) } }] },
    });
  }
  return cases;
}

/** Alert cases of every SLO and policy. */
export function sloAlertCases(specs: readonly SloSpec[] = itemsApiSlos(CONFIG)): AlertCase[] {
  return specs.flatMap((spec) => burnRatePolicies(CONFIG).flatMap((policy) => burnAlertCases(spec, policy)));
}

export function sloExprCases(specs: readonly SloSpec[] = itemsApiSlos(CONFIG)): ExprCase[] {
  const [availability, latency] = specs;
  if (availability?.id !== 'availability' || latency?.id !== 'latency') throw new Error('expected the availability and latency SLOs, in that order');
  const page = CONFIG.burnRateAlerts.page.windows[0];
  if (!page) throw new Error('page policy has no windows');
  const everyWindow = (spec: SloSpec, ratio: number, time: string) =>
    SLO_WINDOWS.map((window) => ({ expr: sloExpr(spec, SLO_SERIES.errorRatio(window)), at: time, samples: [sloSample(spec, ratio)] }));
  const metadata = (spec: SloSpec, ratio: number, time: string) => {
    const burn = cleanNumber(ratio / errorBudget(spec));
    return [
      { expr: sloExpr(spec, SLO_SERIES.objective), at: time, samples: [sloSample(spec, spec.objective)] },
      { expr: sloExpr(spec, SLO_SERIES.errorBudget), at: time, samples: [sloSample(spec, errorBudget(spec))] },
      { expr: sloExpr(spec, SLO_SERIES.currentBurnRate), at: time, samples: [sloSample(spec, burn)] },
      { expr: sloExpr(spec, SLO_SERIES.periodBurnRate), at: time, samples: [sloSample(spec, burn)] },
      { expr: sloExpr(spec, SLO_SERIES.budgetRemaining), at: time, samples: [sloSample(spec, cleanNumber(1 - burn))] },
    ];
  };
  const ratio5m = (spec: SloSpec, value: number, time: string) => ({
    expr: sloExpr(spec, SLO_SERIES.errorRatio('5m')),
    at: time,
    samples: [sloSample(spec, value)],
  });
  const staging = { ...TARGET, namespace: 'staging' };

  return [
    {
      name: 'a 1 % 5xx stream gives an availability error ratio of 0.01 over every window, burn rate 2 and budget remaining -1',
      input: sliStream(availability, [[0.01, 30]]),
      checks: [...everyWindow(availability, 0.01, '30m'), ...metadata(availability, 0.01, '30m')],
    },
    {
      name: '2 % of requests slower than the threshold give a latency error ratio of 0.02 over every window and burn rate 2',
      input: sliStream(latency, [[0.02, 30]]),
      checks: [...everyWindow(latency, 0.02, '30m'), ...metadata(latency, 0.02, '30m')],
    },
    {
      name: 'probe, OpenAPI, docs and unmatched requests count toward neither SLI',
      input: [
        ...sliStream(availability, [[0.01, 30]]),
        ...sliStream(latency, [[0.02, 30]]),
        ...CONFIG.sli.excludedRoutes.flatMap((route) => [
          requests({ route, status: '503' }, [[500, 30]]),
          ...durations({ route, status: '503' }, [[500, 500, 30]]),
        ]),
        requests({ route: CONFIG.sli.unmatchedRoute, status: '404' }, [[5000, 30]]),
        ...durations({ route: CONFIG.sli.unmatchedRoute, status: '404' }, [[5000, 5000, 30]]),
      ],
      checks: [ratio5m(availability, 0.01, '30m'), ratio5m(latency, 0.02, '30m')],
    },
    {
      name: '4xx answers are good events for availability',
      input: [
        requests({ status: '400', method: 'POST' }, [[300, 30]]),
        requests({ route: '/items/:id', status: '404' }, [[700, 30]]),
        requests({ status: '200' }, [[1000, 30]]),
      ],
      checks: [ratio5m(availability, 0, '30m')],
    },
    {
      name: 'a service that never answered 5xx (no 5xx series exists) has an availability error ratio of 0, not no data',
      input: [requests({ status: '200' }, [[1000, 30]])],
      checks: [ratio5m(availability, 0, '30m'), { expr: sloExpr(availability, SLO_SERIES.budgetRemaining), at: '30m', samples: [sloSample(availability, 1)] }],
    },
    {
      name: 'a window without API requests has error ratio 0 and burn rate 0, not NaN',
      // Traffic stops after 10 minutes: the counters stay flat.
      input: [...sliStream(availability, [[0.1, 10], [0, 20, 0]]), ...sliStream(latency, [[0.2, 10], [0, 20, 0]])],
      checks: [
        ratio5m(availability, 0, '30m'),
        ratio5m(latency, 0, '30m'),
        { expr: sloExpr(availability, SLO_SERIES.currentBurnRate), at: '30m', samples: [sloSample(availability, 0)] },
      ],
    },
    {
      name: 'a service that never served an API request has no SLO series',
      input: [requests({ route: '/readyz' }, [[4, 30]]), ...durations({ route: '/readyz' }, [[4, 0, 30]])],
      checks: [
        { expr: sloExpr(availability, SLO_SERIES.errorRatio('5m')), at: '30m', samples: [] },
        { expr: sloExpr(latency, SLO_SERIES.errorRatio('5m')), at: '30m', samples: [] },
      ],
    },
    {
      name: 'pods of one namespace are summed into one ratio; namespaces stay apart',
      input: [...sliStream(availability, [[0.02, 30]]), ...sliStream(availability, [[0, 30]], SECOND_TARGET), ...sliStream(availability, [[0.1, 30]], staging)],
      checks: [
        {
          expr: sloExpr(availability, SLO_SERIES.errorRatio('5m')),
          at: '30m',
          samples: [
            sloSample(availability, 0.01),
            sloSample(availability, 0.1, { ...sloLabels(availability), namespace: 'staging' }),
          ],
        },
      ],
    },
    {
      name: 'after a burn stops, the long windows keep burning above their factors while the short ones are clear (why each page condition needs both)',
      input: sliStream(availability, AFTER_BURN.stretches(cleanNumber(page.factor * 3 * errorBudget(availability)))),
      checks: CONFIG.burnRateAlerts.page.windows.flatMap(({ long, short, factor }) => [
        { expr: `${sloExpr(availability, SLO_SERIES.errorRatio(long))} / ${errorBudget(availability)} > bool ${factor}`, at: AFTER_BURN.checkAt, samples: [sloSample(availability, 1)] },
        { expr: `${sloExpr(availability, SLO_SERIES.errorRatio(short))} / ${errorBudget(availability)} > bool ${factor}`, at: AFTER_BURN.checkAt, samples: [sloSample(availability, 0)] },
      ]),
    },
  ];
}
