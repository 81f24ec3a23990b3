/**
 * Which live test proves which alert, with which fault. Every alert that is not cluster-only must
 * appear here: `localstack/test/alert-proof.test.ts` checks that against the alert catalogue, so
 * a new service-side alert fails the suite until it has a live proof.
 */
import { ALERTS } from '../../monitoring/index.js';
import { alertName as prefixed, type AlertSuffix } from '../../monitoring/config.js';

export type ProofFile = 'alert-proof.test.ts' | 'alert-proof-causes.test.ts';

export interface AlertProofPlan {
  readonly alert: string;
  readonly file: ProofFile;
  /** The fault, as the result table prints it. */
  readonly fault: string;
}

/** Full alert name from its suffix; throws when the catalogue has no such alert (renamed?). */
export function alertName(suffix: AlertSuffix): string {
  const name = prefixed(suffix);
  if (!ALERTS.some((a) => a.name === name)) throw new Error(`no alert ${name} in monitoring's catalogue (ALERTS): renamed or removed? update localstack/proof-kit/alert-proof-plan.ts`);
  return name;
}

/** The faults' sizes, used by the tests and in the descriptions below. */
export const FAULT_SIZES = {
  /** Share of API requests answered 500: 100× the availability SLO's 0.5 % budget. */
  errorRate: 0.5,
  /** Added to every API request; above the latency SLO's threshold (the test checks). */
  latencyMs: 300,
  /**
   * Added inside every query while it holds its pooled connection. Large enough that 2 connections
   * serve under 7 queries/s, well below the proof's 30 requests/s even when the service is short of
   * CPU (other test files share the 2 cores): the pool must be the bottleneck, not the CPU.
   */
  poolDbDelayMs: 300,
  /** Pool size for the causes test, and the workers that outnumber it. */
  poolMax: 2,
  poolWorkers: 8,
  /** CPU starvation: stopped this long in every period. The period is not a multiple of the 1 s scrape interval (see the test). */
  starveStoppedMs: 300,
  starvePeriodMs: 700,
} as const;

const F = FAULT_SIZES;

const plan = (suffix: AlertSuffix, file: ProofFile, fault: string): AlertProofPlan => ({ alert: alertName(suffix), file, fault });

export const ALERT_PROOFS: readonly AlertProofPlan[] = [
  plan('AvailabilityFastBurn', 'alert-proof.test.ts', `errorRate ${F.errorRate} (injected 500s)`),
  plan('AvailabilitySlowBurn', 'alert-proof.test.ts', `errorRate ${F.errorRate} (the same fault)`),
  plan('LatencyFastBurn', 'alert-proof.test.ts', `latencyMs ${F.latencyMs}`),
  plan('LatencySlowBurn', 'alert-proof.test.ts', `latencyMs ${F.latencyMs} (the same fault)`),
  plan('DatabaseDown', 'alert-proof.test.ts', 'PostgreSQL stopped'),
  plan('EventLoopLag', 'alert-proof-causes.test.ts', `CPU starvation: process stopped ${F.starveStoppedMs} ms of every ${F.starvePeriodMs} ms`),
  plan('DatabasePoolSaturated', 'alert-proof-causes.test.ts', `dbDelayMs ${F.poolDbDelayMs}, ${F.poolWorkers} workers on DB_POOL_MAX=${F.poolMax}`),
  plan('DatabaseQueryErrors', 'alert-proof-causes.test.ts', "the service's table renamed away"),
  plan('TargetDown', 'alert-proof-causes.test.ts', 'service process hung (SIGSTOP)'),
  plan('TargetAbsent', 'alert-proof-causes.test.ts', 'service process hung (SIGSTOP): no target up'),
];

/** The plan entry of an alert; throws for an alert without one. */
export function proofOf(alert: string): AlertProofPlan {
  const found = ALERT_PROOFS.find((p) => p.alert === alert);
  if (!found) throw new Error(`no live proof planned for ${alert} (localstack/alert-proof-plan.ts)`);
  return found;
}

/** Service-side alerts (not cluster-only) without a planned live proof. */
export const unprovenServiceAlerts = (): string[] => ALERTS.filter((a) => !a.clusterOnly && !ALERT_PROOFS.some((p) => p.alert === a.name)).map((a) => a.name);
