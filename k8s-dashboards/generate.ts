/** `make generate`: one pretty-printed JSON file per dashboard, in the chart (`dashboardPath`), where Helm can read it. */
import type { GeneratedFile } from '../project/generated.js';
import { DASHBOARDS, dashboardPath, dashboardText } from './index.js';

export function generatedFiles(): GeneratedFile[] {
  return DASHBOARDS.map((d) => ({ path: dashboardPath(d), content: dashboardText(d) }));
}
