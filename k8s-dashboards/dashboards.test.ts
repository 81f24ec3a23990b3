import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { K6_TEST_ID_LABEL } from '../loadtest/k6-metrics.js';
import { ALERTS } from '../monitoring/index.js';
import { DEFAULT_CONFIG } from './config.js';
import { CHART_FILES, GENERATED_JSON_KEY, generatedNotice } from '../project/generated.js';
import { DASHBOARD_GENERATOR, DASHBOARDS, dashboardText } from './index.js';
import { metricNamesIn } from '../monitoring/promql-names.js';
import { knownSeries } from './metric-names.js';
import { dashboardQueries } from './queries.js';
import { generatedFiles } from './generate.js';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `expected an object, got ${JSON.stringify(value)}`);
  return value as Json;
};
const list = (value: unknown): Json[] => {
  assert.ok(Array.isArray(value), `expected an array, got ${JSON.stringify(value)}`);
  return value.map(obj);
};

const variablesOf = (d: (typeof DASHBOARDS)[number]) => list(obj(d.json.templating).list);
const panelsOf = (d: (typeof DASHBOARDS)[number]) => list(d.json.panels).filter((p) => p.type !== 'row');
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** The filters every query must carry, spelled as in the JSON. */
const NAMESPACE = 'namespace=~"$namespace"';
const INSTANCE = 'instance=~"$instance"';
const TEST_ID = `${K6_TEST_ID_LABEL}=~"$testid"`;

describe('dashboard identities', () => {
  test('five dashboards with the stable uids other areas link to, each in <uid>.json', () => {
    assert.deepEqual(
      DASHBOARDS.map((d) => d.uid),
      ['items-api-overview', 'items-api-database', 'items-api-business', 'items-api-runtime', 'items-api-loadtest'],
    );
    for (const d of DASHBOARDS) {
      assert.equal(d.file, `${d.uid}.json`);
      assert.equal(d.json.uid, d.uid);
      assert.equal(d.json.title, d.title);
    }
    assert.equal(new Set(DASHBOARDS.map((d) => d.title)).size, DASHBOARDS.length, 'titles are unique');
  });

  test('generated files are <uid>.json in the chart, the one copy Helm can read, pretty-printed with a trailing newline', () => {
    const files = generatedFiles();
    assert.deepEqual(
      files.map((f) => f.path),
      DASHBOARDS.map((d) => `${CHART_FILES.dashboards}/${d.uid}.json`),
    );
    for (const [i, file] of files.entries()) {
      assert.ok(file.content.endsWith('}\n'), `${file.path} ends with a newline`);
      const { [GENERATED_JSON_KEY]: marker, ...model } = JSON.parse(file.content) as Json;
      assert.deepEqual(model, DASHBOARDS[i]?.json, 'the marker is the only addition to the model');
      assert.equal(marker, generatedNotice(DASHBOARD_GENERATOR));
      assert.equal(file.content, dashboardText(DASHBOARDS[i] as (typeof DASHBOARDS)[number]));
      assert.match(file.content, /^\{\n {2}"/, 'indented by two spaces');
    }
  });

  test('the generated-by marker never replaces a key of the dashboard model', () => {
    for (const d of DASHBOARDS) assert.ok(!(GENERATED_JSON_KEY in d.json), `${d.uid} already has ${GENERATED_JSON_KEY}`);
    assert.throws(() => dashboardText({ json: { [GENERATED_JSON_KEY]: 'x' } }), /already has a \$comment key/);
  });

  test('every dashboard carries the project tag and links to the others by it, keeping time and variables', () => {
    for (const d of DASHBOARDS) {
      assert.deepEqual(d.json.tags, [DEFAULT_CONFIG.tag]);
      const byTag = list(d.json.links).find((l) => l.type === 'dashboards');
      assert.ok(byTag, `${d.uid} has a dashboards link`);
      assert.deepEqual(byTag.tags, [DEFAULT_CONFIG.tag]);
      assert.equal(byTag.includeVars, true);
      assert.equal(byTag.keepTime, true);
      assert.ok(
        list(d.json.links).every((l) => !('placement' in l)),
        'no link is tucked into the controls menu',
      );
    }
  });
});

describe('variables', () => {
  test('every dashboard has datasource (prometheus), namespace and instance (label_values, multi, All = .*)', () => {
    for (const d of DASHBOARDS) {
      const vars = variablesOf(d);
      assert.deepEqual(
        vars.slice(0, 3).map((v) => v.name),
        ['datasource', 'namespace', 'instance'],
        d.uid,
      );
      const [datasource, namespace, instance] = vars;
      assert.equal(datasource?.type, 'datasource');
      assert.equal(datasource?.query, 'prometheus');
      for (const v of [namespace, instance]) {
        assert.equal(v?.type, 'query');
        assert.deepEqual(v?.datasource, DATASOURCE);
        assert.equal(v?.multi, true);
        assert.equal(v?.includeAll, true);
        assert.equal(v?.allValue, '.*');
        assert.equal(v?.refresh, 2, 'refreshed when the time range changes');
      }
      assert.match(String(namespace?.query), /^label_values\(up\{job="items-api"\}, namespace\)$/);
      assert.match(String(instance?.query), /^label_values\(up\{job="items-api", namespace=~"\$namespace"\}, instance\)$/);
    }
  });

  test('the Load test dashboard adds testid from the label_values of a k6 series', () => {
    const loadtest = DASHBOARDS.find((d) => d.uid === 'items-api-loadtest');
    assert.ok(loadtest);
    const testid = variablesOf(loadtest).find((v) => v.name === 'testid');
    assert.ok(testid, 'testid variable');
    const match = /^label_values\((\w+), (\w+)\)$/.exec(String(testid.query));
    assert.ok(match, `label_values query, got ${String(testid.query)}`);
    assert.equal(knownSeries().get(match[1] as string), 'k6');
    assert.equal(match[2], K6_TEST_ID_LABEL);
  });
});

describe('panels', () => {
  test('every panel has a title, a description, a unit, the ${datasource} data source and a unique id', () => {
    for (const d of DASHBOARDS) {
      const ids = list(d.json.panels).map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length, `${d.uid}: panel ids unique`);
      assert.ok(ids.every((id) => typeof id === 'number' && id > 0), `${d.uid}: panel ids set`);
      for (const panel of panelsOf(d)) {
        const where = `${d.uid} / ${String(panel.title)}`;
        assert.ok(typeof panel.title === 'string' && panel.title.length > 0, `${where}: title`);
        assert.ok(typeof panel.description === 'string' && panel.description.length > 20, `${where}: description`);
        const unit = obj(obj(panel.fieldConfig).defaults).unit;
        assert.ok(typeof unit === 'string' && unit.length > 0, `${where}: unit`);
        assert.deepEqual(panel.datasource, DATASOURCE, `${where}: panel data source`);
        const targets = list(panel.targets);
        assert.ok(targets.length > 0, `${where}: at least one target`);
        assert.equal(new Set(targets.map((t) => t.refId)).size, targets.length, `${where}: refIds unique`);
        for (const t of targets) assert.deepEqual(t.datasource, DATASOURCE, `${where} ${String(t.refId)}: target data source`);
        assert.ok(obj(panel.gridPos).w, `${where}: laid out`);
      }
    }
  });

  test('time series legends name their series ({{label}} or a fixed word), never the raw selector', () => {
    for (const d of DASHBOARDS) {
      for (const panel of panelsOf(d).filter((p) => p.type === 'timeseries')) {
        for (const t of list(panel.targets)) {
          assert.ok(typeof t.legendFormat === 'string' && t.legendFormat.trim() !== '', `${d.uid} / ${String(panel.title)} ${String(t.refId)}: legend`);
        }
        assert.equal(obj(obj(panel.options).legend).showLegend, true, `${d.uid} / ${String(panel.title)}: legend shown`);
      }
    }
  });

  test('every target filters by namespace and instance, except SLO series (namespace only) and k6 series (test id)', () => {
    const known = knownSeries();
    for (const q of dashboardQueries()) {
      const where = `${q.dashboardUid} / ${q.panelTitle} ${q.refId}: ${q.expr}`;
      const sources = new Set(metricNamesIn(q.expr).map((name) => known.get(name)));
      if (sources.has('k6')) assert.ok(q.expr.includes(TEST_ID), `${where}: test id filter`);
      if ([...sources].some((s) => s !== 'k6')) assert.ok(q.expr.includes(NAMESPACE), `${where}: namespace filter`);
      if ([...sources].some((s) => s === 'service' || s === 'cluster')) assert.ok(q.expr.includes(INSTANCE), `${where}: instance filter`);
    }
  });

  test('rate windows are $__rate_interval (or the whole range for totals), never a fixed duration', () => {
    for (const q of dashboardQueries()) {
      for (const [, window] of q.expr.matchAll(/\[([^\]]+)\]/g)) {
        assert.ok(window === '$__rate_interval' || window === '$__range', `${q.dashboardUid} / ${q.panelTitle}: window [${window}]`);
      }
    }
  });

  test('the JSON targets and dashboardQueries() are the same list, in order', () => {
    const fromJson = DASHBOARDS.flatMap((d) =>
      panelsOf(d).flatMap((p) => list(p.targets).map((t) => ({ dashboardUid: d.uid, panelTitle: p.title, refId: t.refId, expr: t.expr }))),
    );
    const fromSource = dashboardQueries().map(({ dashboardUid, panelTitle, refId, expr }) => ({ dashboardUid, panelTitle, refId, expr }));
    assert.deepEqual(fromSource, fromJson);
  });
});

describe('runbook links', () => {
  const panelLinks = (): (Json & { panel: string })[] =>
    DASHBOARDS.flatMap((d) => panelsOf(d).flatMap((p) => (Array.isArray(p.links) ? list(p.links).map((l) => ({ ...l, panel: `${d.uid} / ${String(p.title)}` })) : [])));

  test('every runbook link of a panel is the runbook_url of an alert in monitoring/', () => {
    const urls = new Set(ALERTS.map((a) => a.runbookUrl));
    const links = panelLinks();
    assert.ok(links.length > 0);
    for (const link of links) {
      assert.ok(urls.has(String(link.url)), `${link.panel}: ${String(link.url)} is no alert's runbook`);
      assert.equal(link.title, `Runbook: ${String(link.url).split('/').at(-1)?.replace(/\.md$/, '')}`);
      assert.equal(link.targetBlank, true);
    }
  });

  test('every alert has a panel that links to its runbook', () => {
    const linked = new Set(panelLinks().map((l) => String(l.url)));
    const orphans = ALERTS.filter((a) => !linked.has(a.runbookUrl)).map((a) => a.name);
    assert.deepEqual(orphans, [], 'alerts with no panel showing what they fire on');
  });
});
