/**
 * Offline schema validation of the synthesized objects: kubernetes-models validators plus the
 * strict unknown-field check (type-schema.ts), in process and through kubeconform -strict.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { requireTools } from '../../testing/tools.js';
import { kindSpecOf } from '../validation/kinds.js';
import { kubeconform, writeKubeconformSchemas } from '../validation/kubeconform.js';
import { type K8sObject, cloneObjects, parseManifests } from '../validation/manifests.js';
import { schemaProblems } from '../validation/schema-check.js';
import { find, loose, synthesize } from './support.js';

const { all } = synthesize();

/** Realistic typos, each in a field the API server would silently drop. */
const TYPOS: ReadonlyArray<{ where: string; mutate: (o: K8sObject[]) => void; path: RegExp }> = [
  {
    where: 'a container of the Deployment',
    mutate: (o) => (loose(find(o, 'Deployment', 'items-api')).spec.template.spec.containers[0].imagePullPolicey = 'IfNotPresent'),
    path: /Deployment items\/items-api: unknown field \/spec\/template\/spec\/containers\/0\/imagePullPolicey$/,
  },
  {
    where: 'a probe of the StatefulSet',
    mutate: (o) => (loose(find(o, 'StatefulSet', 'items-api-postgres')).spec.template.spec.containers[0].readinessProbe.periodSecond = 5),
    path: /StatefulSet items\/items-api-postgres: unknown field \/spec\/template\/spec\/containers\/0\/readinessProbe\/periodSecond$/,
  },
  {
    where: 'a ServiceMonitor endpoint',
    mutate: (o) => (loose(find(o, 'ServiceMonitor', 'items-api')).spec.endpoints[0].scrapeTimout = '10s'),
    path: /ServiceMonitor items\/items-api: unknown field \/spec\/endpoints\/0\/scrapeTimout$/,
  },
  {
    where: 'an alerting rule of the PrometheusRule',
    mutate: (o) => (loose(find(o, 'PrometheusRule', 'items-api')).spec.groups[0].rules[0].annotation = {}),
    path: /PrometheusRule items\/items-api: unknown field \/spec\/groups\/0\/rules\/0\/annotation$/,
  },
  {
    where: 'a NetworkPolicy peer',
    mutate: (o) => (loose(find(o, 'NetworkPolicy', 'items-api-postgres')).spec.ingress[0].from[0].podSelecter = {}),
    path: /NetworkPolicy items\/items-api-postgres: unknown field \/spec\/ingress\/0\/from\/0\/podSelecter$/,
  },
  {
    where: 'object metadata',
    mutate: (o) => (find(o, 'Service', 'items-api').metadata.label = { a: 'b' }),
    path: /Service items\/items-api: unknown field \/metadata\/label$/,
  },
];

describe('schema validation (kubernetes-models + strict unknown fields)', () => {
  test('every synthesized object is valid, with no unknown field', () => {
    assert.deepEqual(schemaProblems(all), []);
  });

  for (const typo of TYPOS) {
    test(`a typo'd field in ${typo.where} is caught by the strict check, which .validate() alone misses`, () => {
      const objects = cloneObjects(all);
      typo.mutate(objects);
      const problems = schemaProblems(objects);
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0] ?? '', typo.path);
      // Why the strict check exists: the packages' validators accept the typo.
      for (const o of objects) assert.doesNotThrow(() => kindSpecOf(o.apiVersion, o.kind)?.validate(o));
    });
  }

  test('map-valued fields (labels, ConfigMap data, selectors) accept any key', () => {
    const objects = cloneObjects(all);
    find(objects, 'Deployment', 'items-api').metadata.labels = { 'example.com/any-key': 'x' };
    loose(find(objects, 'ConfigMap', 'k6-scripts')).data['any-file.js'] = '';
    assert.deepEqual(schemaProblems(objects), []);
  });

  test('a wrong type is caught by the kubernetes-models validator', () => {
    const objects = cloneObjects(all);
    loose(find(objects, 'Deployment', 'items-api')).spec.replicas = '2';
    assert.match(schemaProblems(objects).join('\n'), /Deployment items\/items-api: data\/spec\/replicas must be integer/);
  });

  test('a kind without a registered schema is reported, not skipped', () => {
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'items' } };
    assert.deepEqual(schemaProblems([ingress]), ['Ingress items/web: no schema for networking.k8s.io/v1 Ingress (add it to cdk8s/validation/kinds.ts)']);
  });
});

describe('kubeconform -strict with schemas built offline from the installed packages', () => {
  let schemas: Awaited<ReturnType<typeof writeKubeconformSchemas>>;
  let dir: string;
  before(async () => {
    schemas = await writeKubeconformSchemas();
    dir = await mkdtemp(path.join(os.tmpdir(), 'items-cdk8s-'));
  });
  after(async () => {
    await schemas.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const writeObjects = async (name: string, objects: readonly K8sObject[]) => {
    const file = path.join(dir, name);
    await writeFile(file, objects.map((o) => stringify(o)).join('---\n'));
    // The YAML written is what kubeconform reads: it parses back to the same objects.
    assert.deepEqual(parseManifests(objects.map((o) => stringify(o)).join('---\n'), name), objects);
    return file;
  };

  test('accepts every synthesized object', async (t) => {
    const tools = requireTools(t, ['kubeconform']);
    if (!tools) return;
    const result = await kubeconform(tools.kubeconform as string, schemas.dir, [await writeObjects('valid.yaml', all)]);
    assert.ok(result.ok, result.output);
    assert.match(result.output, new RegExp(`Valid: ${all.length}, Invalid: 0, Errors: 0, Skipped: 0`));
  });

  test('rejects a typo\'d field and a wrong type', async (t) => {
    const tools = requireTools(t, ['kubeconform']);
    if (!tools) return;
    const objects = cloneObjects(all);
    loose(find(objects, 'Deployment', 'items-api')).spec.template.spec.containers[0].imagePullPolicey = 'IfNotPresent';
    loose(find(objects, 'Service', 'items-api')).spec.ports[0].port = '3030';
    const result = await kubeconform(tools.kubeconform as string, schemas.dir, [await writeObjects('typo.yaml', objects)]);
    assert.equal(result.ok, false);
    assert.match(result.output, /Deployment items-api is invalid: .*additional properties 'imagePullPolicey' not allowed/);
    assert.match(result.output, /Service items-api is invalid: .*\/spec\/ports\/0\/port.*got string, want number/);
    assert.match(result.output, /Invalid: 2/);
  });
});
