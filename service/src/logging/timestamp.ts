let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * Pino's `isoTime` output (`,"time":"2026-01-02T03:04:05.678Z"`) without a `Date` per line: the
 * part up to the second is formatted once per second, the milliseconds are appended.
 */
export function isoTimestamp(now: number = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = `,"time":"${new Date(second * 1000).toISOString().slice(0, 20)}`;
  }
  const ms = now - second * 1000;
  return `${cachedPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}
