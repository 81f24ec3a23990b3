/**
 * Every dashboard query as data, for the tests that prove them: valid PromQL (promtool) here, and
 * data on a live Prometheus fed by the real service (the local-stack tests).
 */
import { durationSeconds } from '../monitoring/promql.js';
import { SCRAPE } from '../project/constants.js';
import { DEFAULT_CONFIG } from './config.js';
import { buildDashboards } from './index.js';
import type { Needs } from './panel-kit.js';
import { VARIABLE_DEFAULTS } from './variables.js';

export type { Needs } from './panel-kit.js';

export interface DashboardQuery {
  readonly dashboardUid: string;
  readonly panelTitle: string;
  readonly refId: string;
  /** Raw, as the dashboard JSON has it: variables not substituted. */
  readonly expr: string;
  readonly needs: Needs;
  /** Why a non-`service` query has no data on a local stack. */
  readonly reason?: string;
}

/** Every target of every panel of every dashboard, in dashboard and panel order. */
export function dashboardQueries(): DashboardQuery[] {
  return buildDashboards().flatMap((d) => d.targets.map((t) => ({ dashboardUid: d.uid, ...t })));
}

/**
 * Values Grafana gives its built-in variables on a dashboard opened with the default time range,
 * for this project's scrape interval: `$__rate_interval` is max($__interval + scrape interval,
 * 4 x scrape interval), which is 4 scrapes at the default zoom.
 */
function builtInDefaults(): Record<string, string> {
  const scrape = durationSeconds(SCRAPE.interval);
  const range = durationSeconds(DEFAULT_CONFIG.timeRange);
  const rateInterval = 4 * scrape;
  return {
    __rate_interval: `${rateInterval}s`,
    __rate_interval_ms: String(rateInterval * 1000),
    __interval: `${scrape}s`,
    __interval_ms: String(scrape * 1000),
    __range: `${range}s`,
    __range_s: String(range),
    __range_ms: String(range * 1000),
  };
}

/** The defaults `substituteVariables` falls back to: built-ins, then each dashboard variable's "All". */
export const SUBSTITUTION_DEFAULTS: Readonly<Record<string, string>> = { ...builtInDefaults(), ...VARIABLE_DEFAULTS };

/**
 * Formats accepted in `${var:format}`. With one value already in its final form (what Grafana
 * would have produced: `.*` for All, `items` for one namespace) they all insert it unchanged.
 */
const FORMATS = new Set(['regex', 'raw', 'pipe', 'text']);

/**
 * `$var`, `${var}`, `${var:format}` and the deprecated `[[var]]` / `[[var:format]]`. Names start
 * with a letter or `_`, so `$1` (a label_replace back-reference) is never taken for a variable.
 */
const VARIABLE = /\$\{([A-Za-z_]\w*)(?::(\w+))?\}|\[\[([A-Za-z_]\w*)(?::(\w+))?\]\]|\$([A-Za-z_]\w*)/g;

/**
 * Replaces every Grafana variable in `expr` with `values[name]`, else its default (see
 * SUBSTITUTION_DEFAULTS). Values are inserted as given. Throws when a variable has neither, or a
 * format is not supported, naming all of them, so no query reaches Prometheus half-substituted.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>> = {}): string {
  const unknown = new Set<string>();
  const badFormats = new Set<string>();
  const result = expr.replace(VARIABLE, (match, braced?: string, bracedFormat?: string, bracketed?: string, bracketedFormat?: string, bare?: string) => {
    const name = (braced ?? bracketed ?? bare) as string;
    const format = bracedFormat ?? bracketedFormat;
    if (format !== undefined && !FORMATS.has(format)) badFormats.add(`${match} (format "${format}"; supported: ${[...FORMATS].join(', ')})`);
    const value = Object.hasOwn(values, name) ? values[name] : SUBSTITUTION_DEFAULTS[name];
    if (value === undefined) {
      unknown.add(`$${name}`);
      return match;
    }
    return value;
  });
  const problems = [
    ...(unknown.size > 0 ? [`unknown variable(s) ${[...unknown].join(', ')}: pass a value for each`] : []),
    ...(badFormats.size > 0 ? [`unsupported variable format(s): ${[...badFormats].join('; ')}`] : []),
  ];
  if (problems.length > 0) throw new Error(`cannot substitute variables in ${JSON.stringify(expr)}: ${problems.join('; ')}`);
  return result;
}
