/** Versions of what the screenshots show, as the running programs report them (for the README). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { DEFAULT_K6 } from '../../loadtest/local/runner.js';

const run = promisify(execFile);

const json = async <T>(url: string): Promise<T | undefined> => {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  return res?.ok ? ((await res.json()) as T) : undefined;
};

export interface VersionSources {
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  /** Any open page: Chromium's version comes from the DevTools protocol (the user agent rounds it). */
  readonly page: Page;
}

/** `HeadlessChrome/156.0.8078.79`, or '' when the browser does not say. */
async function chromiumVersion(page: Page): Promise<string> {
  try {
    const session = await page.context().newCDPSession(page);
    const { product } = await session.send('Browser.getVersion');
    await session.detach();
    return product;
  } catch {
    return '';
  }
}

/** Each tool's version, or `unknown` when it does not say. */
export async function collectVersions(sources: VersionSources): Promise<Record<string, string>> {
  const [prometheus, alertmanager, k6, product] = await Promise.all([
    json<{ data?: { version?: string } }>(`${sources.prometheusUrl}/api/v1/status/buildinfo`).then((b) => b?.data?.version),
    json<{ versionInfo?: { version?: string } }>(`${sources.alertmanagerUrl}/api/v2/status`).then((s) => s?.versionInfo?.version),
    run(DEFAULT_K6, ['version'], { timeout: 10_000 }).then(
      ({ stdout }) => /v\d+\.\d+\.\d+/.exec(stdout)?.[0],
      () => undefined,
    ),
    chromiumVersion(sources.page),
  ]);
  return {
    Prometheus: prometheus ?? 'unknown',
    Alertmanager: alertmanager ?? 'unknown',
    k6: k6 ?? 'unknown',
    Chromium: /\/([\d.]+)$/.exec(product)?.[1] ?? 'unknown',
  };
}
