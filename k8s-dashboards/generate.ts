/** `make generate`: one pretty-printed JSON file per dashboard, `k8s-dashboards/<uid>.json`. */
import type { GeneratedFile } from '../project/generated.js';
import { DASHBOARDS, dashboardText } from './index.js';

export function generatedFiles(): GeneratedFile[] {
  return DASHBOARDS.map((d) => ({ path: `k8s-dashboards/${d.file}`, content: dashboardText(d) }));
}
