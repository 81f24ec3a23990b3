/**
 * Taking one screenshot: of the viewport (cut to the content when the page is shorter), checked
 * to be a valid PNG of plausible size before anyone commits it.
 */
import { writeFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { poll } from '../../toolkit/poll.js';
import { readPngInfo, screenshotProblems, type PngInfo } from './png.js';

export interface CaptureOptions {
  /** Cut the picture at the bottom of the content when the page is shorter than the viewport. @default true */
  readonly fitContent?: boolean;
  /** Never cut higher than this (keeps headings and a little context). @default 400 */
  readonly minHeight?: number;
}

/**
 * Bottom of the visible content, in viewport pixels: the lowest edge of the body's children
 * (the document itself is never shorter than the viewport). A string evaluated in the page:
 * this project compiles without the DOM types.
 */
const CONTENT_BOTTOM = 'Math.ceil(Math.max(0, ...Array.from(document.body.children, (e) => e.getBoundingClientRect().bottom)))';

/** Screenshot of the visible part of `page`, written to `file`; throws when the PNG looks wrong. */
export async function capture(page: Page, file: string, options: CaptureOptions = {}): Promise<PngInfo> {
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('the page has no fixed viewport');
  let height = viewport.height;
  if (options.fitContent ?? true) {
    const content = Number(await page.evaluate(CONTENT_BOTTOM));
    if (Number.isFinite(content)) height = Math.min(viewport.height, Math.max(options.minHeight ?? 400, content));
  }
  const png = await page.screenshot({ clip: { x: 0, y: 0, width: viewport.width, height }, animations: 'disabled', caret: 'hide' });
  const info = readPngInfo(png, file);
  const problems = screenshotProblems(info);
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  await writeFile(file, png);
  return info;
}

/**
 * Polls `check` until it returns true; otherwise fails after `timeoutMs` with `what` and the last
 * thing `check` reported (a string says why it is not ready yet).
 */
export async function waitUntil(what: string, check: () => Promise<true | string>, { timeoutMs = 60_000, intervalMs = 500 } = {}): Promise<void> {
  let last = 'not checked yet';
  const done = await poll({ timeoutMs, intervalMs }, async () => {
    const result = await check().catch((error: Error) => `error: ${error.message.split('\n')[0]}`);
    if (result === true) return true;
    last = result;
    return undefined;
  });
  if (!done) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${last}`);
}
