/**
 * Small PromQL builders: quoting, regex escaping, label lists and durations in one place, so no
 * rule hand-escapes a string or spells a selector twice.
 */

/** A PromQL double-quoted string literal: backslashes and quotes escaped. */
export const quote = (value: string): string => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/** `label="value"` */
export const eq = (label: string, value: string): string => `${label}=${quote(value)}`;

/** `label=~"regex"` (Prometheus anchors label regexes at both ends). */
export const matches = (label: string, regex: string): string => `${label}=~${quote(regex)}`;

/** `label!~"regex"` */
export const notMatches = (label: string, regex: string): string => `${label}!~${quote(regex)}`;

/** RE2 metacharacters; a literal value must have them escaped inside a regex. */
const REGEX_META = /[\\.+*?()|[\]{}^$]/g;

/** A regex matching exactly one of `values` (each taken literally). */
export function anyOf(values: readonly string[]): string {
  if (values.length === 0) throw new Error('anyOf() needs at least one value: an empty alternation matches the empty string');
  return values.map((v) => v.replace(REGEX_META, '\\$&')).join('|');
}

/** `metric{m1, m2}`; matchers are already-rendered strings such as `eq('job', 'x')`. */
export function selector(metric: string, matchers: readonly string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

/** `by (a, b)` */
export const by = (labels: readonly string[]): string => `by (${labels.join(', ')})`;

/**
 * Matcher for a classic histogram bucket bound. Prometheus 3 writes integral bounds as `1.0`
 * where Prometheus 2 (and prom-client) write `1`; fractional bounds such as 0.25 read the same in
 * both, so only integral ones need a regex.
 */
export function leMatcher(bound: number): string {
  if (!Number.isFinite(bound) || bound <= 0) throw new Error(`histogram bound must be a positive finite number, got ${bound}`);
  return Number.isInteger(bound) ? matches('le', `${bound}(\\.0)?`) : eq('le', String(bound));
}

const DURATION_UNITS = { y: 31_536_000, w: 604_800, d: 86_400, h: 3600, m: 60, s: 1, ms: 0.001 } as const;
const UNIT_ORDER = Object.keys(DURATION_UNITS) as Array<keyof typeof DURATION_UNITS>;
// Prometheus' model.ParseDuration grammar: units in decreasing order, each at most once.
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Seconds in a Prometheus duration such as `5m`, `1h30m` or `30d`; throws on anything else. */
export function durationSeconds(duration: string): number {
  const match = duration === '' ? null : DURATION.exec(duration);
  if (!match) throw new Error(`not a Prometheus duration: ${JSON.stringify(duration)} (expected e.g. 5m, 1h30m, 30d)`);
  return UNIT_ORDER.reduce((total, unit, i) => total + Number(match[i + 1] ?? 0) * DURATION_UNITS[unit], 0);
}

/** A number as PromQL and YAML show it, without binary noise: 1 - 0.995 gives 0.005, not 0.0050000000000000044. */
export const cleanNumber = (value: number): number => Number(value.toPrecision(12));

/** Indents every line after the first by `spaces`, so nested multi-line expressions stay readable. */
export const indent = (text: string, spaces: number): string => text.replaceAll('\n', `\n${' '.repeat(spaces)}`);
