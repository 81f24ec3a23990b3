/**
 * Grafana dashboards in the kind cluster: log in with the admin Secret's credentials (POST /login,
 * the session cookie lands in the browser context), open each project dashboard in kiosk mode
 * and wait until its panels have loaded. Panels that still say "No data" are reported, not hidden.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { GrafanaCredentials } from '../../cluster/checks/grafana.js';
import { waitUntil } from './capture.js';

/** Grafana's own test ids (the `data-testid ` prefix is part of the value). */
const PANEL = '[data-testid^="data-testid Panel header"]';
const PANEL_LOADING = '[aria-label="Panel loading bar"], [data-testid="data-testid panel loading bar"]';

export interface DashboardView {
  readonly uid: string;
  /** Grafana time range start, e.g. `now-15m`. */
  readonly from: string;
  readonly timeoutMs: number;
}

export async function loginToGrafana(context: BrowserContext, grafanaUrl: string, { user, password }: GrafanaCredentials): Promise<void> {
  const res = await context.request.post(`${grafanaUrl}/login`, { data: { user, password }, timeout: 15_000, failOnStatusCode: false });
  if (res.status() !== 200) throw new Error(`Grafana login as ${user} failed: HTTP ${res.status()} ${(await res.text()).slice(0, 160)}`);
}

/** Opens the dashboard and waits for its panels; resolves the titles of panels showing "No data". */
export async function openDashboard(page: Page, grafanaUrl: string, view: DashboardView): Promise<string[]> {
  const params = new URLSearchParams({ orgId: '1', from: view.from, to: 'now', kiosk: '' });
  await page.goto(`${grafanaUrl}/d/${view.uid}?${params}`);
  if (new URL(page.url()).pathname.startsWith('/login')) throw new Error('Grafana sent the browser to its login page: the session cookie was not accepted');
  await page.locator(PANEL).first().waitFor({ timeout: view.timeoutMs });
  await waitUntil(`the panels of dashboard ${view.uid} to load`, async () => {
    const loading = await page.locator(PANEL_LOADING).count();
    return loading === 0 || `${loading} panel(s) loading`;
  }, { timeoutMs: view.timeoutMs });
  await page.waitForLoadState('networkidle', { timeout: view.timeoutMs }).catch(() => undefined);
  const empty: string[] = [];
  for (const panel of await page.locator(PANEL).filter({ hasText: 'No data' }).all()) {
    const id = (await panel.getAttribute('data-testid')) ?? '';
    empty.push(id.replace(/^data-testid Panel header\s*/, '') || '(untitled)');
  }
  return empty;
}
