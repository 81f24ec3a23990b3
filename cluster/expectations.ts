/**
 * What the post-deploy check expects to find in the cluster, by name, from the project's own
 * catalogues: alert names and rule group names from monitoring/, dashboards from k8s-dashboards/.
 */
import { DASHBOARDS } from '../k8s-dashboards/index.js';
import { ALERTS, ruleGroups } from '../monitoring/index.js';

export interface ProjectExpectations {
  readonly alertNames: readonly string[];
  readonly ruleGroupNames: readonly string[];
  readonly dashboards: readonly { readonly uid: string; readonly title: string }[];
}

export function projectExpectations(): ProjectExpectations {
  return {
    alertNames: ALERTS.map((alert) => alert.name),
    ruleGroupNames: ruleGroups().map((group) => group.name),
    dashboards: DASHBOARDS.map(({ uid, title }) => ({ uid, title })),
  };
}
