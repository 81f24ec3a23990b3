/**
 * How each local screenshot is set up: the page to open, the real content to wait for (never a
 * fixed sleep), and the clicks that show what the picture is about. One step per LOCAL_SHOTS id.
 *
 * Prometheus is Debian's 2.x build, which serves the classic UI under /classic (its React UI is
 * not packaged); Alertmanager's Debian build has no web UI, so its API answer is shown instead.
 */
import type { Page } from 'playwright-core';
import { SCRAPE } from '../../project/constants.js';
import { METRICS } from '../../service/src/metrics/catalog.js';
import { waitUntil, type CaptureOptions } from './capture.js';
import { FIRING_ALERT, type LocalShotId } from './catalog.js';

export interface LocalPageContext {
  readonly apiUrl: string;
  readonly metricsUrl: string;
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  /** k6's HTML report of the smoke run. */
  readonly k6ReportFile: string;
  /** Limit of each wait for content. */
  readonly timeoutMs: number;
}

/** Opens and prepares the page; resolves how to cut the picture. */
export type PageStep = (page: Page, ctx: LocalPageContext) => Promise<CaptureOptions | void>;

/** Where Debian's Prometheus 2.x serves its UI. */
export const CLASSIC_UI = '/classic';

/** The graph: items created per second, one line for the job. */
export const GRAPH_RATE_WINDOW_SECONDS = 60;
export const GRAPH_EXPR = `sum by (job) (rate(${METRICS.itemsCreated.name}[${GRAPH_RATE_WINDOW_SECONDS / 60}m]))`;

/**
 * The graph's range: whole minutes label the classic UI's time axis best. The run makes sure the
 * traffic ran one rate window longer than this before the capture: in the first window, rate()
 * divides a partial window's increase by the whole window and draws a ramp of no meaning.
 */
export const GRAPH_RANGE_SECONDS = 120;

/** Fails clearly when this Prometheus has no classic UI (an upstream build serves another UI). */
export async function checkClassicUi(prometheusUrl: string, fetchFn: typeof fetch = fetch): Promise<void> {
  const url = `${prometheusUrl}${CLASSIC_UI}/graph`;
  const res = await fetchFn(url, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) {
    throw new Error(`${url} answered HTTP ${res.status}: the screenshot steps know the classic UI of Debian's prometheus 2.x package (apt-get install prometheus)`);
  }
}

/** Scrolls so that the line starting with `needle` is at the top of a plain-text page. */
const SCROLL_TO_TEXT = `(needle) => {
  const text = document.querySelector('pre')?.firstChild;
  const at = text?.textContent?.indexOf(needle) ?? -1;
  if (!text || at < 0) return false;
  const range = document.createRange();
  range.setStart(text, at);
  range.setEnd(text, at + needle.length);
  window.scrollTo(0, range.getBoundingClientRect().top + window.scrollY - 8);
  return true;
}`;

const scrollToText = async (page: Page, needle: string): Promise<boolean> => (await page.evaluate(`(${SCROLL_TO_TEXT})(${JSON.stringify(needle)})`)) === true;

const visible = (page: Page, selector: string) => page.locator(selector).filter({ visible: true });

export const LOCAL_PAGES: Readonly<Record<LocalShotId, PageStep>> = {
  async targets(page, ctx) {
    await page.goto(`${ctx.prometheusUrl}${CLASSIC_UI}/targets`);
    // The pool heading reads "items-api (1/1 up)": every target of the job up.
    const heading = page.getByText(new RegExp(`^${SCRAPE.job} \\((\\d+)/\\1 up\\)$`));
    await heading.waitFor({ timeout: ctx.timeoutMs });
    const row = page.locator('tr', { has: page.locator('.badge', { hasText: `job="${SCRAPE.job}"` }) });
    const state = ((await row.first().locator('td.state').textContent({ timeout: ctx.timeoutMs })) ?? '').trim();
    if (state.toLowerCase() !== 'up') throw new Error(`the ${SCRAPE.job} target's state is "${state}", not up`);
  },

  async metrics(page, ctx) {
    await page.goto(`${ctx.metricsUrl}${SCRAPE.path}`);
    const created = METRICS.itemsCreated.name;
    await waitUntil(`${created} > 0 on ${ctx.metricsUrl}${SCRAPE.path}`, async () => {
      const text = (await page.locator('pre').first().textContent({ timeout: 5_000 })) ?? '';
      const value = Number(new RegExp(`^${created} (\\S+)$`, 'm').exec(text)?.[1] ?? 'NaN');
      if (value > 0) return true;
      await page.reload();
      return Number.isNaN(value) ? `no ${created} line yet` : `${created} is ${value}`;
    }, { timeoutMs: ctx.timeoutMs, intervalMs: 1_000 });
    // The business counters and the database histograms, rather than the first lines.
    if (!(await scrollToText(page, `# HELP ${METRICS.httpRequestsInFlight.name}`))) {
      throw new Error(`no "# HELP ${METRICS.httpRequestsInFlight.name}" on the metrics page`);
    }
    return { fitContent: false };
  },

  async graph(page, ctx) {
    // Stacked: one series drawn as an area from zero, so the axis starts at 0 and the bump is not exaggerated.
    const params = new URLSearchParams({ 'g0.expr': GRAPH_EXPR, 'g0.tab': '0', 'g0.stacked': '1', 'g0.range_input': `${GRAPH_RANGE_SECONDS / 60}m` });
    await page.goto(`${ctx.prometheusUrl}${CLASSIC_UI}/graph?${params}`);
    await waitUntil('the graph to show one drawn series', async () => {
      const error = (await visible(page, '.graph_wrapper .error').allTextContents()).join(' ').trim();
      if (error) throw new Error(`Prometheus' graph shows an error: ${error}`);
      const lines = await page.locator('.graph_area svg path.path').count();
      const legend = (await page.locator('.legend .label').allTextContents()).join(', ');
      if (lines !== 1 || !legend.includes(SCRAPE.job)) return `${lines} line(s), legend "${legend}"`;
      const stats = (await page.locator('.eval_stats').textContent()) ?? '';
      return /Total time series: 1\b/.test(stats) ? true : `stats "${stats.trim()}"`;
    }, { timeoutMs: ctx.timeoutMs });
  },

  async apiDocs(page, ctx) {
    const spec = (await (await fetch(`${ctx.apiUrl}/openapi.json`)).json()) as { paths?: Record<string, Record<string, unknown>> };
    const operations = Object.values(spec.paths ?? {}).reduce((sum, ops) => sum + Object.keys(ops).filter((k) => k !== 'parameters').length, 0);
    await page.goto(`${ctx.apiUrl}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: ctx.timeoutMs });
    await waitUntil(`Swagger UI to list the ${operations} operations of /openapi.json`, async () => {
      const shown = await page.locator('.opblock-summary').count();
      return shown === operations || `${shown} shown`;
    }, { timeoutMs: ctx.timeoutMs });
  },

  async k6Report(page, ctx) {
    await page.goto(`file://${ctx.k6ReportFile}`);
    await page.getByRole('heading', { name: /^Report:/ }).waitFor({ timeout: ctx.timeoutMs });
    await waitUntil("k6's report to draw its charts", async () => {
      const charts = await page.locator('.uplot canvas').count();
      return charts > 0 || 'no chart yet';
    }, { timeoutMs: ctx.timeoutMs });
  },

  async alerts(page, ctx) {
    await page.goto(`${ctx.prometheusUrl}${CLASSIC_UI}/alerts`);
    const header = page.locator('tr.alert_header', { hasText: FIRING_ALERT });
    await header.waitFor({ timeout: ctx.timeoutMs });
    const cls = (await header.getAttribute('class')) ?? '';
    if (!cls.includes('alert-danger')) throw new Error(`${FIRING_ALERT} is not shown as firing on the alerts page (row class "${cls}")`);
    // Only firing alerts: switch the Inactive and Pending filters off (each is a toggle button).
    for (const filter of ['#inactiveAlerts', '#pendingAlerts']) {
      const label = page.locator('#alertFilters label', { has: page.locator(filter) });
      if ((await label.locator('.glyphicon-check').count()) > 0) await label.click();
    }
    await waitUntil('inactive alerts to be hidden', async () => {
      const shown = await visible(page, 'tr.alert_header.alert-success').count();
      return shown === 0 || `${shown} inactive alert(s) still shown`;
    }, { timeoutMs: ctx.timeoutMs });
    await header.click();
    await visible(page, 'tr.alert_details').getByText(/^\s*firing\s*$/i).first().waitFor({ timeout: ctx.timeoutMs });
  },

  async alertmanager(page, ctx) {
    const filter = `alertname="${FIRING_ALERT}"`;
    await page.goto(`${ctx.alertmanagerUrl}/api/v2/alerts?${new URLSearchParams({ filter, active: 'true' })}`);
    const pre = page.locator('pre').first();
    await pre.waitFor({ timeout: ctx.timeoutMs });
    if (!((await pre.textContent()) ?? '').includes(`"alertname":"${FIRING_ALERT}"`)) throw new Error(`Alertmanager does not hold ${FIRING_ALERT}`);
    // Chromium's JSON viewer: its Pretty-print checkbox sits in a closed shadow root, first in tab order.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await waitUntil("Chromium's JSON viewer to pretty-print the answer", async () => {
      const text = (await pre.textContent()) ?? '';
      return text.includes('\n  ') || 'still one line';
    }, { timeoutMs: 10_000 });
    // Move the focus off the checkbox (a click on the empty page below the answer): no focus ring in the picture.
    const viewport = page.viewportSize();
    if (viewport) await page.mouse.click(viewport.width - 5, viewport.height - 5);
  },
};
