/**
 * k6's process exit codes (go.k6.io/k6 errext/exitcodes) that the runner and the launcher explain.
 * Any other non-zero code is reported with its number.
 */
export const K6_EXIT = {
  ok: 0,
  thresholdsFailed: 99,
  invalidConfig: 104,
  externalAbort: 105,
  scriptException: 107,
  scriptAborted: 108,
} as const;

const MEANING: Readonly<Record<number, string>> = {
  [K6_EXIT.ok]: 'k6 finished and every threshold held',
  [K6_EXIT.thresholdsFailed]: 'k6 finished and at least one threshold failed',
  [K6_EXIT.invalidConfig]: 'k6 rejected its configuration (options or command line)',
  [K6_EXIT.externalAbort]: 'k6 was stopped from outside (signal)',
  [K6_EXIT.scriptException]: 'the k6 script threw an exception',
  [K6_EXIT.scriptAborted]: 'the k6 script aborted the test',
};

export function describeK6Exit(code: number): string {
  return MEANING[code] ?? `k6 failed with exit code ${code}`;
}
