/**
 * charts/kube-prometheus-stack/values.yaml: every key it sets is a key of the pinned chart (so a
 * typo, which Helm silently ignores, fails here), and the values other parts of the project depend
 * on say what project/constants.ts says.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { GRAFANA_FOLDER_ANNOTATION, KUBE_PROMETHEUS_STACK, RULE_EVALUATION_INTERVAL } from '../../project/constants.js';
import { GRAFANA_ADMIN_SECRET } from '../../cluster/locations.js';

const VALUES_FILE = path.join(import.meta.dirname, 'values.yaml');

/**
 * Key paths of the upstream charts that values.yaml may set, each looked up by hand in the chart's
 * default values: kube-prometheus-stack 88.5.3 (`helm show values
 * prometheus-community/kube-prometheus-stack --version 88.5.3`) and, under `grafana.`, its Grafana
 * sub-chart 12.11.1 (`helm show values grafana/grafana --version 12.11.1`). Checked on 2026-11-25
 * for chart 88.5.3; when KUBE_PROMETHEUS_STACK.version changes, re-check every entry against the
 * new chart's values (the test below fails until this header's version matches the constant).
 *
 * `x.*` marks an object the chart passes through verbatim to a Kubernetes or Prometheus Operator
 * field (resources, storage, exemplars): its children follow that API, not the chart's values.
 */
const CHECKED_FOR_VERSION = '88.5.3';
const UPSTREAM_KEYS: readonly string[] = [
  // kube-prometheus-stack values.yaml
  'kubeControllerManager.enabled',
  'kubeScheduler.enabled',
  'kubeEtcd.enabled',
  'kubeProxy.enabled',
  'prometheusOperator.resources.*',
  'prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues',
  'prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues',
  'prometheus.prometheusSpec.probeSelectorNilUsesHelmValues',
  'prometheus.prometheusSpec.scrapeConfigSelectorNilUsesHelmValues',
  'prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues',
  'prometheus.prometheusSpec.evaluationInterval',
  'prometheus.prometheusSpec.enableRemoteWriteReceiver',
  'prometheus.prometheusSpec.enableFeatures',
  'prometheus.prometheusSpec.exemplars.*', // Prometheus CRD spec.exemplars
  'prometheus.prometheusSpec.retention',
  'prometheus.prometheusSpec.retentionSize',
  'prometheus.prometheusSpec.storageSpec.*', // Prometheus CRD spec.storage
  'prometheus.prometheusSpec.resources.*',
  'alertmanager.alertmanagerSpec.resources.*',
  'grafana.admin.existingSecret',
  'grafana.admin.userKey',
  'grafana.admin.passwordKey',
  'grafana.sidecar.dashboards.enabled',
  'grafana.sidecar.dashboards.label',
  'grafana.sidecar.dashboards.labelValue',
  'grafana.sidecar.dashboards.searchNamespace',
  'grafana.sidecar.dashboards.provider.allowUiUpdates',
  // Grafana chart values.yaml (kube-prometheus-stack passes `grafana:` to it)
  'grafana.resources.*',
  'grafana.sidecar.resources.*',
  'grafana.sidecar.dashboards.resource',
  'grafana.sidecar.dashboards.folderAnnotation',
  'grafana.sidecar.dashboards.provider.foldersFromFilesStructure',
];

type Values = Record<string, unknown>;
const values = parse(readFileSync(VALUES_FILE, 'utf8')) as Values;

/** Dotted paths of every leaf (scalars and lists) under `node`. */
function leafPaths(node: unknown, prefix = ''): string[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [prefix];
  return Object.entries(node as Values).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
}

/** The entry of UPSTREAM_KEYS that covers `leaf`: itself, or a pass-through ancestor `x.*`. */
const coveringKey = (leaf: string): string | undefined =>
  UPSTREAM_KEYS.find((key) => (key.endsWith('.*') ? leaf.startsWith(key.slice(0, -1)) : key === leaf));

const at = (dotted: string): unknown => dotted.split('.').reduce<unknown>((node, key) => (node as Values | undefined)?.[key], values);

describe('kube-prometheus-stack values', () => {
  test('the key list was checked against the pinned chart version', () => {
    assert.equal(CHECKED_FOR_VERSION, KUBE_PROMETHEUS_STACK.version, 'chart version changed: re-check UPSTREAM_KEYS against the new chart values, then update CHECKED_FOR_VERSION');
  });

  test('every key set is a checked upstream key (typos and unchecked keys fail)', () => {
    const unknown = leafPaths(values).filter((leaf) => !coveringKey(leaf));
    assert.deepEqual(unknown, [], `keys not in the checked upstream list: ${unknown.join(', ')}`);
  });

  test('every checked upstream key is still used (the list stays the truth)', () => {
    const used = new Set(leafPaths(values).map(coveringKey));
    assert.deepEqual(UPSTREAM_KEYS.filter((key) => !used.has(key)), []);
  });

  test('Prometheus selects monitors, probes, scrape configs and rules in every namespace, whatever their labels', () => {
    for (const kind of ['serviceMonitor', 'podMonitor', 'probe', 'scrapeConfig', 'rule']) {
      assert.equal(at(`prometheus.prometheusSpec.${kind}SelectorNilUsesHelmValues`), false, kind);
      // Namespace selectors keep the chart default ({}: every namespace).
      assert.equal(at(`prometheus.prometheusSpec.${kind}NamespaceSelector`), undefined, kind);
    }
  });

  test('the Grafana sidecar loads the project dashboards from labelled ConfigMaps in every namespace into their folder', () => {
    assert.equal(at('grafana.sidecar.dashboards.enabled'), true);
    assert.equal(at('grafana.sidecar.dashboards.label'), KUBE_PROMETHEUS_STACK.dashboardLabel.key);
    assert.equal(at('grafana.sidecar.dashboards.labelValue'), KUBE_PROMETHEUS_STACK.dashboardLabel.value);
    assert.equal(at('grafana.sidecar.dashboards.searchNamespace'), 'ALL');
    assert.equal(at('grafana.sidecar.dashboards.folderAnnotation'), GRAFANA_FOLDER_ANNOTATION);
    // Folders come from the annotation's subdirectories only when the provider builds them from the file tree,
    // and Grafana refuses a fixed provider folder together with that.
    assert.equal(at('grafana.sidecar.dashboards.provider.foldersFromFilesStructure'), true);
    assert.equal(at('grafana.sidecar.dashboards.provider.folder'), undefined);
  });

  test('remote-write receiver and exemplar storage are on; rules evaluate at the shared interval', () => {
    assert.equal(at('prometheus.prometheusSpec.enableRemoteWriteReceiver'), true);
    assert.ok((at('prometheus.prometheusSpec.enableFeatures') as string[]).includes('exemplar-storage'));
    assert.ok(Number(at('prometheus.prometheusSpec.exemplars.maxSize')) > 0);
    assert.equal(at('prometheus.prometheusSpec.evaluationInterval'), RULE_EVALUATION_INTERVAL);
  });

  test('Grafana takes its admin credentials from the Secret kind-up creates; no password in the file', () => {
    assert.equal(at('grafana.admin.existingSecret'), GRAFANA_ADMIN_SECRET.name);
    assert.equal(at('grafana.admin.userKey'), GRAFANA_ADMIN_SECRET.userKey);
    assert.equal(at('grafana.admin.passwordKey'), GRAFANA_ADMIN_SECRET.passwordKey);
    assert.doesNotMatch(readFileSync(VALUES_FILE, 'utf8'), /adminPassword\s*:/);
  });

  test('laptop sizing: every workload has requests and a memory limit, none a CPU limit; retention is bounded', () => {
    const resourceBlocks = leafPaths(values)
      .filter((leaf) => /\.resources\.(requests|limits)\./.test(leaf) && !leaf.includes('storageSpec'))
      .map((leaf) => leaf.slice(0, leaf.indexOf('.resources.') + '.resources'.length));
    const blocks = [...new Set(resourceBlocks)];
    assert.deepEqual(blocks.sort(), [
      'alertmanager.alertmanagerSpec.resources',
      'grafana.resources',
      'grafana.sidecar.resources',
      'prometheus.prometheusSpec.resources',
      'prometheusOperator.resources',
    ]);
    for (const block of blocks) {
      assert.ok(at(`${block}.requests.cpu`) && at(`${block}.requests.memory`), `${block} requests`);
      assert.ok(at(`${block}.limits.memory`), `${block} memory limit`);
      assert.equal(at(`${block}.limits.cpu`), undefined, `${block} must not set a CPU limit`);
    }
    assert.match(String(at('prometheus.prometheusSpec.retention')), /^\d+d$/);
    assert.match(String(at('prometheus.prometheusSpec.retentionSize')), /^\d+GiB$/);
    const volume = String(at('prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage'));
    assert.ok(parseInt(volume, 10) > parseInt(String(at('prometheus.prometheusSpec.retentionSize')), 10), 'the volume holds retentionSize plus the WAL');
  });
});
