/**
 * Prometheus/Alertmanager durations (`1s`, `15s`, `1m30s`) as milliseconds: the configs are written
 * in them, and the stack needs them to size its waits. Parsing is monitoring's, so one grammar holds.
 */
import { durationSeconds } from '../monitoring/promql.js';

/** Milliseconds of a Prometheus duration; throws naming `what` when the text is not a positive one. */
export function durationMs(text: string, what = 'duration'): number {
  let ms = 0;
  try {
    ms = Math.round(durationSeconds(text) * 1000);
  } catch {
    // reported below, with the caller's name for the value
  }
  if (ms <= 0) throw new Error(`${what} must be a positive Prometheus duration such as 1s, 15s or 1m30s (got ${JSON.stringify(text)})`);
  return ms;
}

/** The shorter of two durations, as written (Prometheus refuses a scrape timeout above the interval). */
export const shorterDuration = (a: string, b: string): string => (durationMs(b) < durationMs(a) ? b : a);
