/**
 * Which metric names a PromQL expression reads, and whether each one exists: the rules and the
 * runbooks' queries may only name series something actually exposes or records. A small lexer, not
 * a parser: strings, label matchers, ranges and label lists are blanked out, then every remaining
 * identifier that is not a function, keyword or number is a metric name.
 */
import { CLUSTER_METRICS, TARGET_SERIES } from './cluster-metrics.js';
import { METRICS, RUNTIME_METRICS, type MetricDefinition } from '../service/src/metrics/catalog.js';

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'atan2']);

/** Metric names an expression selects, each once, in order of appearance. */
export function metricNamesIn(expr: string): string[] {
  const blanked = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/#.*$/gm, ' ');
  const names: string[] = [];
  // Durations (offset 5m), then numbers (1e-06, .5), then identifiers, each with a following "(" if any.
  const token = /((?:\d+(?:ms|[smhdwy]))+\b|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+)|([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/gi;
  for (const match of blanked.matchAll(token)) {
    const [, number, identifier, call] = match;
    if (number !== undefined || identifier === undefined || call !== undefined) continue;
    if (KEYWORDS.has(identifier.toLowerCase())) continue;
    if (!names.includes(identifier)) names.push(identifier);
  }
  return names;
}

/** The series a classic histogram is exposed as. */
const histogramParts = (name: string): string[] => ['_bucket', '_count', '_sum'].map((suffix) => name + suffix);

/** Series names of one catalog metric: a histogram's parts, or the name itself. */
const seriesOf = (def: MetricDefinition): string[] => (def.type === 'histogram' ? histogramParts(def.name) : [def.name]);

/** Every series items-api exposes and every one Prometheus writes for a target. */
export const SERVICE_SERIES: ReadonlySet<string> = new Set([
  ...Object.values(METRICS as Record<string, MetricDefinition>).flatMap(seriesOf),
  ...Object.values(RUNTIME_METRICS),
  // prom-client's GC metric is a histogram.
  ...histogramParts(RUNTIME_METRICS.gcDuration),
  ...Object.values(TARGET_SERIES),
  // Prometheus writes these for every scrape, next to `up`.
  'scrape_duration_seconds',
  'scrape_samples_scraped',
]);

/** Series only a cluster has (kube-state-metrics, cAdvisor). */
export const CLUSTER_SERIES: ReadonlySet<string> = new Set(Object.values(CLUSTER_METRICS));

/** Names in `expr` that are in none of `known`. */
export function unknownMetricNames(expr: string, known: ReadonlyArray<ReadonlySet<string>>): string[] {
  return metricNamesIn(expr).filter((name) => !known.some((set) => set.has(name)));
}
