/**
 * SLO rule generation as a chain of small steps, each in its own module and tested alone:
 * validate → SLI ratio rules (per window) → metadata rules → multi-window multi-burn-rate alerts.
 */
import type { AlertDefinition } from '../alerts/define.js';
import { CONFIG, type MonitoringConfig } from '../config.js';
import type { GroupDefinition } from '../group.js';
import { burnRateAlerts } from './alert-rules.js';
import { itemsApiSlos } from './items-api.js';
import { metadataRecordingRules } from './meta-rules.js';
import { sliRecordingRules } from './sli-rules.js';
import type { SloSpec } from './spec.js';
import { validateSlos } from './validate.js';

export const burnRatePolicies = (config: MonitoringConfig) => [config.burnRateAlerts.page, config.burnRateAlerts.ticket] as const;

/**
 * One recording group per SLO (SLI ratios first, then the metadata that reads them, so one
 * evaluation sees consistent values) and one group with every SLO alert.
 */
export function sloGroups(config: MonitoringConfig = CONFIG, specs: readonly SloSpec[] = itemsApiSlos(config)): GroupDefinition[] {
  const policies = burnRatePolicies(config);
  const valid = validateSlos(specs, policies);
  const recording = valid.map((spec) => ({
    name: `${config.service.job}-slo-${spec.id}`,
    recordingRules: [...sliRecordingRules(spec), ...metadataRecordingRules(spec)],
    alerts: [] as AlertDefinition[],
  }));
  const alerts = valid.flatMap((spec) => burnRateAlerts(spec, policies, config.alertNamePrefix));
  return [...recording, { name: `${config.service.job}-slo-alerts`, recordingRules: [], alerts }];
}

export type { SloSpec } from './spec.js';
export { explain } from './spec.js';
export { itemsApiSlos } from './items-api.js';
