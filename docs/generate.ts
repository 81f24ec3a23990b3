/**
 * Generated documentation: `docs/METRICS.md`, the metric catalog as a table, from the same data
 * the service builds its prom-client objects from (service/src/metrics/catalog.ts) and the names
 * the SLO rules record (monitoring/series.ts); `docs/PROBLEMS.md`, the API's problem types
 * (docs/problems.ts).
 */
import { CONFIG } from '../monitoring/config.js';
import { SLO_IDS, SLO_LABEL, SLO_SERIES, SLO_WINDOWS } from '../monitoring/series.js';
import { CURRENT_WINDOW } from '../monitoring/slo/meta-rules.js';
import { BASE_WINDOW } from '../monitoring/slo/sli-rules.js';
import { SCRAPE, CONTAINER_PORTS } from '../project/constants.js';
import { generatedHeader, type GeneratedFile } from '../project/generated.js';
import { LATENCY_SLO_THRESHOLD_SECONDS, METRICS, RUNTIME_METRICS, type MetricDefinition } from '../service/src/metrics/catalog.js';
import { problemsFile } from './problems.js';

const code = (text: string) => `\`${text}\``;
const cell = (text: string) => text.replaceAll('|', '\\|');

function metricRow(def: MetricDefinition): string {
  const labels = def.labelNames.length > 0 ? def.labelNames.map(code).join(', ') : '—';
  const buckets = def.buckets ? def.buckets.map(String).join(', ') : '';
  return `| ${code(def.name)} | ${def.type} | ${labels} | ${cell(def.help)} | ${buckets} |`;
}

function metricsMarkdown(): string {
  const service = Object.values(METRICS as Record<string, MetricDefinition>).map(metricRow);
  const runtime = Object.values(RUNTIME_METRICS).map((name) => `- ${code(name)}`);
  const period = CONFIG.slos.period;
  const slo = [
    `| ${code(SLO_SERIES.eventRate(BASE_WINDOW))} | API requests (SLI events) per second over ${BASE_WINDOW} |`,
    `| ${code(SLO_SERIES.badEventRate(BASE_WINDOW))} | bad API requests per second over ${BASE_WINDOW} |`,
    ...SLO_WINDOWS.map((w) => `| ${code(SLO_SERIES.errorRatio(w))} | share of bad events over ${w} |`),
    `| ${code(SLO_SERIES.objective)} | the SLO target (e.g. 0.995) |`,
    `| ${code(SLO_SERIES.errorBudget)} | 1 − objective |`,
    `| ${code(SLO_SERIES.currentBurnRate)} | burn rate over ${CURRENT_WINDOW} |`,
    `| ${code(SLO_SERIES.periodBurnRate)} | burn rate over the ${period} period |`,
    `| ${code(SLO_SERIES.budgetRemaining)} | share of the period's budget left |`,
  ];
  return [
    generatedHeader('docs/generate.ts', 'md'),
    '# Metrics of items-api',
    '',
    `Every series the service exposes on its metrics port (\`${SCRAPE.path}\`, port ${CONTAINER_PORTS.metrics}), from`,
    '[`service/src/metrics/catalog.ts`](../service/src/metrics/catalog.ts). Histograms also expose',
    '`_bucket`, `_sum` and `_count` series. Label values are bounded: `route` is the router template',
    '(unknown paths share `unmatched`), never a raw path, id or user input.',
    '',
    '| name | type | labels | meaning | buckets (s) |',
    '|---|---|---|---|---|',
    ...service,
    '',
    `The latency SLO threshold (${LATENCY_SLO_THRESHOLD_SECONDS} s) is a bucket bound of`,
    '`http_request_duration_seconds`, so "share of requests faster than the threshold" is exact.',
    '',
    '## Runtime metrics the project relies on',
    '',
    'From prom-client\'s default collectors (process and Node.js runtime); dashboards and alerts use:',
    '',
    ...runtime,
    '',
    '## Recorded SLO series',
    '',
    `Produced by the SLO recording rules ([\`monitoring/\`](../monitoring/)); labels \`namespace\`, \`job\` and`,
    `${code(SLO_LABEL)} (${SLO_IDS.map(code).join(', ')}).`,
    '',
    '| series | meaning |',
    '|---|---|',
    ...slo,
    '',
  ].join('\n');
}

export function generatedFiles(): GeneratedFile[] {
  return [{ path: 'docs/METRICS.md', content: metricsMarkdown() }, problemsFile()];
}
