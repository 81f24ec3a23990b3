/**
 * The one config object every rule of items-api is built from (kubernetes-mixin's `_config`):
 * selectors, what the SLIs count, SLO targets, burn-rate windows and factors, the runbook URL
 * pattern and the thresholds of the cause alerts. Change a value here, run `make generate`, and
 * the rule file, the PrometheusRule, the Helm chart's rules and the promtool tests follow.
 *
 * `defineMonitoringConfig` refuses a config with a missing value: an empty selector would make a
 * rule match every series in Prometheus, and an undefined threshold would render as `> undefined`.
 */
import { APP_NAME, RUNBOOK_BASE_URL, SCRAPE } from '../project/constants.js';
import { CLUSTER_METRICS } from './cluster-metrics.js';
import { LATENCY_SLO_THRESHOLD_SECONDS, NON_SLI_ROUTES, UNMATCHED_ROUTE, type DbQueryOutcome } from '../service/src/metrics/catalog.js';
import { durationSeconds, eq } from './promql.js';
import type { SloId, SloWindow } from './series.js';
import type { Severity } from './types.js';

/** One multi-window condition: burn rate above `factor` over both `long` and `short`. */
export interface BurnRateWindow {
  readonly long: SloWindow;
  /** Makes the alert stop soon after the burn stops (SRE workbook: 1/12 of the long window). */
  readonly short: SloWindow;
  /** Burn rate that fires: `factor` × the rate that spends exactly the budget over the period. */
  readonly factor: number;
}

export interface BurnRateAlertPolicy {
  readonly severity: Severity;
  /** Word in the alert name: `ItemsApi<Slo><Speed>Burn`. */
  readonly speed: 'Fast' | 'Slow';
  /** `for:` of the alert; the short window already filters blips, so this stays small. */
  readonly for: string;
  /** Either condition fires the alert (they are `or`-ed). */
  readonly windows: readonly BurnRateWindow[];
}

export interface MonitoringConfig {
  /** Prefix of every alert name (CamelCase of the app name). */
  readonly alertNamePrefix: string;
  readonly service: {
    /** `job` label of the items-api scrape target (the ServiceMonitor uses the Service name). */
    readonly job: string;
    /** Labels that identify one scraped process; cause alerts keep them when they aggregate. */
    readonly targetLabels: readonly string[];
  };
  readonly kubernetes: {
    /** Container name of items-api in its pods, as kube-state-metrics and cAdvisor label it. */
    readonly container: string;
    /** Matchers of kube-state-metrics' series as kube-prometheus-stack scrapes them. */
    readonly kubeStateMetricsSelector: readonly string[];
    /** Matchers of the kubelet's cAdvisor series as kube-prometheus-stack scrapes them. */
    readonly cadvisorSelector: readonly string[];
    readonly metrics: typeof CLUSTER_METRICS;
  };
  readonly sli: {
    /** Routes that never count as API requests: probes, OpenAPI document, docs page and assets. */
    readonly excludedRoutes: readonly string[];
    /**
     * Route label of requests that matched no route (answered 404 without any work). Excluded from
     * both SLIs: they are not calls to the API, and a scanner's flood of them would otherwise dilute
     * the ratio and hide real failures. They stay visible in http_requests_total.
     */
    readonly unmatchedRoute: string;
    /** Status codes that are the service's fault (availability SLI). 4xx are the client's. */
    readonly serverErrorStatusRegex: string;
  };
  readonly slos: {
    /** SLO period; also the window of the period burn rate and the budget remaining. */
    readonly period: SloWindow;
    readonly availability: { readonly objective: number };
    readonly latency: {
      readonly objective: number;
      /** "Fast" means answered within this; must be a bucket bound of the duration histogram. */
      readonly thresholdSeconds: number;
    };
  };
  readonly burnRateAlerts: {
    /** Where the windows and factors come from. */
    readonly source: string;
    readonly page: BurnRateAlertPolicy;
    readonly ticket: BurnRateAlertPolicy;
  };
  /** `runbook_url` of alert X is `${runbookBaseUrl}/X.md`. */
  readonly runbookBaseUrl: string;
  /** Thresholds and `for:` of the cause alerts (what broke, as opposed to what users felt). */
  readonly causes: {
    readonly targetDown: { readonly for: string };
    readonly targetAbsent: { readonly for: string };
    readonly databaseDown: { readonly for: string };
    readonly poolSaturated: {
      /** p99 wait for a pooled connection; a healthy pool hands one out in well under 1 ms. A bucket bound. */
      readonly acquireP99Seconds: number;
      /**
       * Waits longer than `acquireP99Seconds` the window must hold before the p99 counts: the
       * quantile of a young or quiet series is one outlier's value.
       */
      readonly minSlowAcquires: number;
      /** Callers waiting for a connection, averaged over `window`. */
      readonly pendingAcquires: number;
      readonly window: string;
      readonly for: string;
    };
    readonly queryErrors: {
      /** `outcome` label value of failed queries in db_query_duration_seconds. */
      readonly errorOutcome: string;
      /** Share of queries that failed. */
      readonly ratio: number;
      readonly window: string;
      readonly for: string;
    };
    readonly eventLoopLag: {
      /** p99 event-loop delay; an idle process shows about 0.01 s (the monitor's resolution). */
      readonly p99Seconds: number;
      readonly window: string;
      readonly for: string;
    };
    readonly podRestarts: {
      /** Container restarts within `window`; CrashLoopBackOff restarts several times in 15 minutes. */
      readonly count: number;
      readonly window: string;
      readonly for: string;
    };
    readonly memoryNearLimit: {
      /** Working set as a share of the memory limit; at 1.0 the kernel OOM-kills the container. */
      readonly ratio: number;
      readonly for: string;
    };
  };
}

export class MonitoringConfigError extends Error {
  override name = 'MonitoringConfigError';
}

/** Paths of values that are missing: undefined, null, empty strings/lists or non-finite numbers. */
export function missingValues(value: unknown, path = 'config'): string[] {
  if (value === undefined || value === null) return [path];
  if (typeof value === 'string') return value.trim() === '' ? [path] : [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) {
    return value.length === 0 ? [path] : value.flatMap((item, i) => missingValues(item, `${path}[${i}]`));
  }
  if (typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => missingValues(item, `${path}.${key}`));
  }
  return [];
}

/** Paths of `for`/`window`/`period` values that are not Prometheus durations. */
export function badDurations(value: unknown, path = 'config'): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const here = `${path}.${key}`;
    if (DURATION_KEYS.has(key) && typeof item === 'string') {
      try {
        durationSeconds(item);
        return [];
      } catch {
        return [`${here} (${JSON.stringify(item)})`];
      }
    }
    return badDurations(item, here);
  });
}

const DURATION_KEYS = new Set(['for', 'window', 'period', 'long', 'short']);

/** Returns the config unchanged, or throws one error naming every missing or malformed value. */
export function defineMonitoringConfig(config: MonitoringConfig): MonitoringConfig {
  const missing = missingValues(config);
  if (missing.length > 0) {
    throw new MonitoringConfigError(`monitoring config: required value missing or empty: ${missing.join(', ')} (see monitoring/config.ts)`);
  }
  const malformed = badDurations(config);
  if (malformed.length > 0) {
    throw new MonitoringConfigError(`monitoring config: not a Prometheus duration: ${malformed.join(', ')}`);
  }
  return config;
}

const pascalCase = (name: string): string =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');

export const CONFIG = defineMonitoringConfig({
  alertNamePrefix: pascalCase(APP_NAME),
  service: {
    job: SCRAPE.job,
    // `pod` exists in the cluster and in the local stack's static labels; `instance` everywhere.
    targetLabels: ['namespace', 'job', 'pod', 'instance'],
  },
  kubernetes: {
    container: APP_NAME,
    // kube-prometheus-stack's job names for these exporters (kubernetes-mixin uses the same defaults).
    kubeStateMetricsSelector: [eq('job', 'kube-state-metrics')],
    cadvisorSelector: [eq('job', 'kubelet'), eq('metrics_path', '/metrics/cadvisor')],
    metrics: CLUSTER_METRICS,
  },
  sli: {
    excludedRoutes: NON_SLI_ROUTES,
    unmatchedRoute: UNMATCHED_ROUTE,
    serverErrorStatusRegex: '5..',
  },
  slos: {
    period: '30d',
    // We allow 5 failed (5xx) API requests in 1000.
    availability: { objective: 0.995 },
    // We allow 10 API requests in 1000 to take longer than 0.25 s.
    latency: { objective: 0.99, thresholdSeconds: LATENCY_SLO_THRESHOLD_SECONDS },
  },
  burnRateAlerts: {
    source:
      'The Site Reliability Workbook, chapter 5 "Alerting on SLOs", approach 6 "Multiwindow, Multi-Burn-Rate Alerts", table 5-8; ' +
      'the 1d/2h ticket condition is the one kubernetes-mixin and Sloth add between the 6h page and the 3d ticket.',
    // Budget spent by the time an alert fires = factor × long window / period.
    page: {
      severity: 'critical',
      speed: 'Fast',
      for: '2m',
      windows: [
        { long: '1h', short: '5m', factor: 14.4 }, // 2 % of the 30-day budget in one hour
        { long: '6h', short: '30m', factor: 6 }, // 5 % in six hours
      ],
    },
    ticket: {
      severity: 'warning',
      speed: 'Slow',
      for: '15m',
      windows: [
        { long: '1d', short: '2h', factor: 3 }, // 10 % in one day
        { long: '3d', short: '6h', factor: 1 }, // 10 % in three days
      ],
    },
  },
  runbookBaseUrl: RUNBOOK_BASE_URL,
  causes: {
    targetDown: { for: '5m' },
    targetAbsent: { for: '5m' },
    // db_up is 0 until the first check after start (every 2 s): one minute rules that out.
    databaseDown: { for: '1m' },
    // A start, or a burst after idle connections were closed (30 s), opens up to DB_POOL_MAX (10 by
    // default) connections, and each open can wait over 0.1 s on a busy host: among the ~100
    // acquires of the first seconds, those few are the p99. A saturated pool makes far more callers
    // wait; 20 such waits in 5 minutes is 0.07 per second.
    poolSaturated: { acquireP99Seconds: 0.1, minSlowAcquires: 20, pendingAcquires: 1, window: '5m', for: '5m' },
    // The service writes outcome="success" or "error" (service/src/metrics/db-metrics.ts).
    queryErrors: { errorOutcome: 'error' satisfies DbQueryOutcome, ratio: 0.05, window: '5m', for: '5m' },
    eventLoopLag: { p99Seconds: 0.1, window: '5m', for: '10m' },
    podRestarts: { count: 2, window: '15m', for: '5m' },
    memoryNearLimit: { ratio: 0.9, for: '15m' },
  },
});

/** Full name of an alert from what follows the prefix: `TargetDown` → `ItemsApiTargetDown`. */
/** The cause alerts, by name without the prefix: the one list (rules, promtool cases, dashboards, live proofs). */
export const CAUSE_ALERTS = [
  'TargetDown',
  'TargetAbsent',
  'DatabaseDown',
  'DatabasePoolSaturated',
  'DatabaseQueryErrors',
  'EventLoopLag',
  'PodRestarting',
  'MemoryNearLimit',
] as const;
export type CauseAlert = (typeof CAUSE_ALERTS)[number];

/** A burn-rate alert's name without the prefix, as `burnRateAlertName` builds it: SLO id, then speed. */
export type BurnRateAlert = `${Capitalize<SloId>}${BurnRateAlertPolicy['speed']}Burn`;

/** Every alert's name without the prefix; a misspelled one fails to compile. */
export type AlertSuffix = CauseAlert | BurnRateAlert;

export const alertName = (suffix: AlertSuffix, config: Pick<MonitoringConfig, 'alertNamePrefix'> = CONFIG): string => `${config.alertNamePrefix}${suffix}`;

/** `runbook_url` of an alert. */
export const runbookUrl = (name: string, config: Pick<MonitoringConfig, 'runbookBaseUrl'> = CONFIG): string =>
  `${config.runbookBaseUrl}/${name}.md`;
