/**
 * What a cluster run leaves behind, as README.md and docs/LOAD_TESTING.md state it: no files, only
 * the report in the pods' logs. (That a local run writes summary.json, digest.json and report.html
 * is proven by local-run.test.ts with a real k6.) If a Job starts writing a report, this fails, and
 * both documents have to change with it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { k6Jobs } from '../cluster/objects.js';

test('a cluster k6 Job writes no report files: no results folder, no HTML export, a read-only root filesystem', () => {
  for (const job of k6Jobs({ profile: 'smoke', testId: 'smoke-20260101-120000', parallelism: 2 })) {
    for (const container of job.spec?.template.spec?.containers ?? []) {
      const env = new Set((container.env ?? []).map((e) => e.name));
      for (const name of ['RESULTS_DIR', 'K6_WEB_DASHBOARD', 'K6_WEB_DASHBOARD_EXPORT']) assert.ok(!env.has(name), `${job.metadata?.name}: ${name} is set`);
      assert.equal(container.securityContext?.readOnlyRootFilesystem, true);
      const writable = (container.volumeMounts ?? []).filter((m) => m.readOnly !== true).map((m) => m.mountPath);
      assert.deepEqual(writable, ['/tmp'], 'the only writable mount is the pod-lifetime /tmp');
    }
  }
});
