/**
 * A headless Chromium for screenshots: the system's Chromium (playwright-core downloads nothing),
 * a fresh profile per run, and no traffic beyond this machine, so every page shows only what the
 * local processes serve (a page that needed a CDN would show the gap instead of hiding it).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's package; CHROMIUM=<path> overrides it. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const VIEWPORT = { width: 1400, height: 900 } as const;

/**
 * Quiet, reproducible headless runs: no GPU, no background updates, sync or first-run UI. Playwright
 * adds `--headless` and `--user-data-dir` itself (launchPersistentContext with a fresh directory).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
] as const;

/** Hosts a page may load from: this machine only. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLocalUrl(url: string): boolean {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed) return false;
  if (parsed.protocol === 'file:' || parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'about:') return true;
  return LOCAL_HOSTS.has(parsed.hostname);
}

export interface ScreenshotBrowser {
  /** A fresh page (tab) in the one browser context. */
  newPage(): Promise<Page>;
  /** Requests to other hosts that were blocked, each once. */
  blockedRequests(): string[];
  readonly context: BrowserContext;
  /** Closes Chromium and removes its profile. Idempotent. */
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** @default process.env.CHROMIUM ?? DEFAULT_CHROMIUM */
  readonly executablePath?: string;
  /** @default VIEWPORT */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Limit for Chromium to start. @default 60_000 */
  readonly launchTimeoutMs?: number;
}

export function chromiumPath(given = process.env.CHROMIUM): string {
  const executable = given || DEFAULT_CHROMIUM;
  if (!existsSync(executable)) {
    throw new Error(`Chromium not found at ${executable}: install it (Debian: apt-get install chromium) or set CHROMIUM=/path/to/chromium`);
  }
  return executable;
}

export async function openBrowser(options: BrowserOptions = {}): Promise<ScreenshotBrowser> {
  const executablePath = chromiumPath(options.executablePath);
  const profile = await mkdtemp(path.join(tmpdir(), 'screenshots-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { ...(options.viewport ?? VIEWPORT) },
      deviceScaleFactor: 1,
      colorScheme: 'light',
      locale: 'en-US',
      timezoneId: 'UTC',
      timeout: options.launchTimeoutMs ?? 60_000,
      // The script's own signal handler closes Chromium along with everything else.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw new Error(`Chromium (${executablePath}) did not start: ${(error as Error).message}`);
  }
  // Any action without its own limit (a click, a locator read) fails after this, never hangs.
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(30_000);
  const blocked = new Set<string>();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocalUrl(url)) return route.continue();
    blocked.add(new URL(url).origin);
    return route.abort('blockedbyclient');
  });
  let closing: Promise<void> | undefined;
  return {
    context,
    newPage: () => context.newPage(),
    blockedRequests: () => [...blocked],
    close: () =>
      (closing ??= (async () => {
        try {
          await context.close();
        } finally {
          await rm(profile, { recursive: true, force: true });
        }
      })()),
  };
}
