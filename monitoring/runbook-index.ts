/** docs/runbooks/README.md: one line per alert, from the alert definitions. */
import { CHART_FILES } from '../project/generated.js';
import type { AlertDefinition } from './alerts/define.js';
import { PLACEHOLDER_TEMPLATE, renderText } from './templates.js';

/** Table-cell text: pipes escaped, and `<pod>` placeholders kept visible instead of read as HTML. */
const markdownCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

export function runbookIndex(alerts: readonly AlertDefinition[]): string {
  const sorted = [...alerts].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.name.localeCompare(b.name));
  const rows = sorted.map(
    (def) =>
      `| [${def.name}](${def.name}.md) | ${def.severity} | ${def.for} | ${def.clusterOnly ? 'cluster only' : 'local stack and cluster'} | ${markdownCell(renderText(def.summary, PLACEHOLDER_TEMPLATE))} |`,
  );
  return [
    '',
    '# Runbooks of items-api',
    '',
    'One runbook per alert; every alert\'s `runbook_url` points at its page here. The alerts are',
    'defined in [`monitoring/`](../../monitoring/) and generated into',
    `[\`${CHART_FILES.rules}\`](../../${CHART_FILES.rules}).`,
    '',
    'SLO alerts (`…FastBurn`, `…SlowBurn`) say users are affected; cause alerts say what broke. When',
    'both fire, start with the cause.',
    '',
    '| alert | severity | for | fires on | summary |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
