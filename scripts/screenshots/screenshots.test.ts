/**
 * What can be checked without the full `make screenshots` run: the committed PNGs against the
 * catalogue and the README, the PNG checks, the README round trip, the cleanup order, and one
 * short real-Chromium capture (the launch flags, the network block, the cut to the content).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DASHBOARDS } from '../../k8s-dashboards/index.js';
import { plannedSeconds, profileOf } from '../../loadtest/k6/profiles.js';
import { requireTools } from '../../testing/tools.js';
import { isLocalUrl, openBrowser } from './browser.js';
import { capture } from './capture.js';
import { ALERTS } from '../../monitoring/index.js';
import { CLUSTER_SHOTS, FIRING_ALERT, LOCAL_SHOTS, README_FILE, SCREENSHOTS_DIR, SHOTS } from './catalog.js';
import { Cleanup } from './cleanup.js';
import { GRAPH_RANGE_SECONDS, GRAPH_RATE_WINDOW_SECONDS } from './local-pages.js';
import { RULE_FILE } from './local-run.js';
import { RUN } from './settings.js';
import { readPngInfo, screenshotProblems, InvalidPngError } from './png.js';
import { parseReadmeFiles, README_MARKER, renderReadme, type RunFacts, type RunSettings } from './readme.js';

const localFiles: readonly string[] = Object.values(LOCAL_SHOTS).map((s) => s.file);
const committedReadme = () => readFileSync(README_FILE, 'utf8');
const SETTINGS: RunSettings = { ruleFile: 'charts/items-api/files/prometheus-rules.yaml', alertFor: '2m', scrapeInterval: '1s', viewport: { width: 1400, height: 900 } };
const FACTS: RunFacts = { date: '2025-01-02', seconds: 200, versions: { Prometheus: '2.42.0' }, grafana: { skipped: 'no context' } };

describe('the committed screenshots', () => {
  test('screenshots/README.md was written by the script and lists every local shot', () => {
    const readme = committedReadme();
    assert.ok(readme.startsWith(README_MARKER), 'README.md must come from `make screenshots`');
    const listed = parseReadmeFiles(readme);
    for (const file of localFiles) assert.ok(listed.includes(file), `${file} is not listed in screenshots/README.md: run make screenshots`);
    const known = new Set(SHOTS.map((s) => s.file));
    assert.deepEqual(listed.filter((f) => !known.has(f)), [], 'README lists images no shot takes');
    assert.equal(new Set(listed).size, listed.length, 'README lists an image twice');
  });

  test("were taken with the rules the cluster loads: the README states the firing alert's real for: and rule file", () => {
    const readme = committedReadme();
    const alert = ALERTS.find((a) => a.name === FIRING_ALERT);
    assert.ok(alert);
    assert.ok(readme.includes(`\`for: ${alert.for}\` included`), `screenshots/README.md does not state for: ${alert.for}: run make screenshots`);
    assert.ok(readme.includes(`\`${RULE_FILE}\`, unchanged`), `screenshots/README.md does not name ${RULE_FILE}`);
    assert.doesNotMatch(readme, /shortened/);
  });

  test('every listed image exists and is a valid PNG of plausible size', () => {
    for (const file of parseReadmeFiles(committedReadme())) {
      const full = path.join(SCREENSHOTS_DIR, file);
      assert.ok(existsSync(full), `${file} is listed but missing`);
      const info = readPngInfo(readFileSync(full), file);
      assert.deepEqual(screenshotProblems(info), [], `${file}: ${info.width}x${info.height}, ${info.bytes} bytes`);
    }
  });

  test('every PNG in screenshots/ is listed (none left over from a removed shot)', () => {
    const listed = new Set(parseReadmeFiles(committedReadme()));
    const pngs = readdirSync(SCREENSHOTS_DIR).filter((f) => f.endsWith('.png'));
    assert.deepEqual(pngs.filter((f) => !listed.has(f)), []);
  });
});

describe('the catalogue', () => {
  test('file names are unique PNG names without spaces', () => {
    const files = SHOTS.map((s) => s.file);
    assert.equal(new Set(files).size, files.length);
    for (const file of files) assert.match(file, /^[a-z0-9-]+\.png$/);
  });

  test('one Grafana shot per project dashboard, named by its uid', () => {
    assert.deepEqual(
      CLUSTER_SHOTS.map((s) => s.file),
      DASHBOARDS.map((d) => `grafana-${d.uid}.png`),
    );
  });
});

describe('run settings', () => {
  test('the history before the graph covers one rate window plus the graph range, with k6 inside it', () => {
    const k6Seconds = plannedSeconds(profileOf('smoke'));
    const history = RUN.baselineSeconds + k6Seconds + RUN.tailSeconds;
    assert.ok(history >= GRAPH_RATE_WINDOW_SECONDS + GRAPH_RANGE_SECONDS, `${history} s of traffic before the graph`);
    assert.ok(RUN.baselineSeconds > GRAPH_RATE_WINDOW_SECONDS, 'a steady level is visible before the k6 bump');
    assert.ok(RUN.tailSeconds > GRAPH_RATE_WINDOW_SECONDS, 'the k6 run leaves the rate window before the capture');
  });
});

describe('readme', () => {
  test('the image table round-trips through parseReadmeFiles, in catalogue order', () => {
    const all = renderReadme(() => true, SETTINGS, FACTS);
    assert.deepEqual(parseReadmeFiles(all), SHOTS.map((s) => s.file));
    const localOnly = renderReadme((file) => localFiles.includes(file), SETTINGS, FACTS);
    assert.deepEqual(parseReadmeFiles(localOnly), localFiles);
  });

  test('says why Grafana was skipped, and whether older Grafana shots remain', () => {
    const localOnly = renderReadme((file) => localFiles.includes(file), SETTINGS, FACTS);
    assert.match(localOnly, /Grafana shots: not taken, no cluster was up \(no context\)\./);
    assert.match(renderReadme(() => true, SETTINGS, FACTS), /from an earlier run with a cluster/);
    assert.match(renderReadme(() => true, SETTINGS, { ...FACTS, grafana: 'taken' }), /Grafana shots: taken/);
  });

  test('a row whose link differs from its name is an error', () => {
    assert.throws(() => parseReadmeFiles('| [a.png](b.png) | x |'), /links b.png under the name a.png/);
  });
});

describe('png checks', () => {
  const real = () => readFileSync(path.join(SCREENSHOTS_DIR, LOCAL_SHOTS.targets.file));

  test('a committed screenshot reads as a PNG with its size', () => {
    const info = readPngInfo(real());
    assert.equal(info.width, 1400);
    assert.ok(info.height >= 300 && info.height <= 900);
  });

  const broken: Array<[string, (png: Buffer) => Buffer, RegExp]> = [
    ['no signature', (png) => Buffer.concat([Buffer.from('GIF89a'), png.subarray(6)]), /no PNG signature/],
    ['truncated', (png) => png.subarray(0, Math.floor(png.length / 2)), /runs past the end|no IEND/],
    ['first chunk is not IHDR', (png) => Buffer.concat([png.subarray(0, 12), Buffer.from('IHDX'), png.subarray(16)]), /not IHDR/],
    ['zero width', (png) => Buffer.concat([png.subarray(0, 16), Buffer.alloc(4), png.subarray(20)]), /empty image/],
  ];
  for (const [name, damage, message] of broken) {
    test(`rejects a PNG with ${name}`, () => {
      assert.throws(() => readPngInfo(damage(real()), 'x.png'), (error: Error) => error instanceof InvalidPngError && message.test(error.message));
    });
  }

  test('plausibility: blank, huge and odd-sized pictures are flagged', () => {
    assert.deepEqual(screenshotProblems({ width: 1400, height: 900, bytes: 80_000 }), []);
    assert.match(screenshotProblems({ width: 1400, height: 900, bytes: 3_000 }).join(), /blank/);
    assert.match(screenshotProblems({ width: 1400, height: 900, bytes: 2_000_000 }).join(), /keep committed PNGs small/);
    assert.match(screenshotProblems({ width: 300, height: 9000, bytes: 80_000 }).join(), /width 300.*height 9000/);
  });
});

describe('browser', () => {
  test('only this machine is reachable', () => {
    const cases: Array<[string, boolean]> = [
      ['http://127.0.0.1:9090/classic/targets', true],
      ['http://localhost:3030/docs', true],
      ['file:///tmp/report.html', true],
      ['data:image/png;base64,AAAA', true],
      ['https://cdn.jsdelivr.net/npm/swagger-ui-dist/swagger-ui.css', false],
      ['https://grafana.com/api/plugins', false],
      ['not a url', false],
    ];
    for (const [url, local] of cases) assert.equal(isLocalUrl(url), local, url);
  });

  test('real Chromium: a capture is cut to the content and blocks the internet', async (t) => {
    if (!requireTools(t, ['chromium'])) return;
    const dir = await mkdtemp(path.join(tmpdir(), 'screenshots-test-'));
    const browser = await openBrowser();
    try {
      const page = await browser.newPage();
      const rows = Array.from({ length: 20 }, (_, i) => `<tr><td>row ${i}</td><td>${'items_created_total '.repeat(8)}</td></tr>`).join('');
      await page.setContent(`<body style="margin:8px;font:14px monospace"><img src="https://example.com/logo.png" alt="remote"><table>${rows}</table></body>`);
      const info = await capture(page, path.join(dir, 'shot.png'), { minHeight: 100 });
      assert.equal(info.width, 1400);
      assert.ok(info.height > 300 && info.height < 900, `cut to the content: ${info.height} px`);
      assert.deepEqual(readPngInfo(readFileSync(path.join(dir, 'shot.png'))), info);
      assert.deepEqual(browser.blockedRequests(), ['https://example.com']);
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('cleanup', () => {
  test('stops in reverse order, every step once, even after a failure', async () => {
    const ran: string[] = [];
    const cleanup = new Cleanup();
    cleanup.push('first', async () => ran.push('first'));
    cleanup.push('broken', async () => {
      ran.push('broken');
      throw new Error('kill failed');
    });
    cleanup.push('last', async () => ran.push('last'));
    assert.deepEqual(await cleanup.run(), ['broken: kill failed']);
    assert.deepEqual(await cleanup.run(), ['broken: kill failed']);
    assert.deepEqual(ran, ['last', 'broken', 'first']);
    assert.throws(() => cleanup.push('late', async () => undefined), /already started/);
  });
});
