/** Names kube-prometheus-stack gives its objects, as the post-deploy check and port-forward use them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chartFullname, STACK } from './kube-prometheus-stack.js';

describe('chartFullname (the chart\'s kube-prometheus-stack.fullname helper)', () => {
  test('a release whose name contains the chart name is the full name', () => {
    assert.equal(chartFullname('kube-prometheus-stack', 'kube-prometheus-stack'), 'kube-prometheus-stack');
    assert.equal(chartFullname('my-kube-prometheus-stack', 'kube-prometheus-stack'), 'my-kube-prometheus-stack');
  });
  test('otherwise <release>-<chart>, cut to 26 characters without a trailing dash', () => {
    assert.equal(chartFullname('monitoring', 'kube-prometheus-stack'), 'monitoring-kube-prometheus');
    assert.equal(chartFullname('mon', 'kube-prometheus-stack'), 'mon-kube-prometheus-stack');
    assert.equal(chartFullname('abcdefghi', 'kube-prometheus-stack'), 'abcdefghi-kube-prometheus');
    assert.equal(chartFullname('abcde', 'kube-prometheus-stack'), 'abcde-kube-prometheus-stac');
  });
  test('our release: the Services and StatefulSets the operator and chart create', () => {
    assert.equal(STACK.prometheus.service, 'kube-prometheus-stack-prometheus');
    assert.equal(STACK.prometheus.statefulSet, 'prometheus-kube-prometheus-stack-prometheus');
    assert.equal(STACK.alertmanager.service, 'kube-prometheus-stack-alertmanager');
    assert.equal(STACK.grafana.service, 'kube-prometheus-stack-grafana');
    assert.equal(STACK.operatorDeployment, 'kube-prometheus-stack-operator');
  });
});
