/**
 * Prometheus/Alertmanager durations (`1s`, `15s`, `1m30s`): the configs are written in them, and
 * the stack needs them as milliseconds to size its waits.
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 } as const;
type Unit = keyof typeof UNIT_MS;

// Same grammar as Prometheus' model.ParseDuration: units in decreasing order, each at most once.
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const ORDER: readonly Unit[] = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/** Milliseconds of a Prometheus duration; throws naming `what` when the text is not one. */
export function durationMs(text: string, what = 'duration'): number {
  const match = DURATION.exec(text);
  const ms = match ? ORDER.reduce((total, unit, i) => total + Number(match[i + 1] ?? 0) * UNIT_MS[unit], 0) : 0;
  if (ms <= 0) throw new Error(`${what} must be a positive Prometheus duration such as 1s, 15s or 1m30s (got ${JSON.stringify(text)})`);
  return ms;
}

/** The shorter of two durations, as written (Prometheus refuses a scrape timeout above the interval). */
export const shorterDuration = (a: string, b: string): string => (durationMs(b) < durationMs(a) ? b : a);
