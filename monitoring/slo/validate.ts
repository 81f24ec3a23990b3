/**
 * Step 1 of SLO generation: refuse a spec or alert policy that would produce rules that are
 * wrong in silence (an objective of 99.5 instead of 0.995, a window nobody records, a burn rate
 * that cannot be reached).
 */
import type { BurnRateAlertPolicy } from '../config.js';
import { durationSeconds } from '../promql.js';
import { SLO_IDS, SLO_WINDOWS } from '../series.js';
import { allowance, type SloSpec } from './spec.js';

const recorded = (window: string): boolean => (SLO_WINDOWS as readonly string[]).includes(window);

/** Every problem of one spec, as sentences naming the SLO; empty when it is sound. */
export function specProblems(spec: SloSpec): string[] {
  const problems: string[] = [];
  const name = `SLO ${JSON.stringify(spec.id)}`;
  if (!(SLO_IDS as readonly string[]).includes(spec.id)) problems.push(`${name}: id must be one of ${SLO_IDS.join(', ')} (monitoring/series.ts)`);
  if (!(spec.objective > 0 && spec.objective < 1)) {
    problems.push(`${name}: objective must be a ratio between 0 and 1 exclusive (0.995 for 99.5 %), got ${spec.objective}`);
  } else {
    try {
      allowance(spec.objective);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  }
  if (!recorded(spec.period)) problems.push(`${name}: period ${spec.period} is not a recorded window (${SLO_WINDOWS.join(', ')})`);
  if (spec.job.trim() === '') problems.push(`${name}: job is empty; the rules would match every target`);
  return problems;
}

/** Every problem of one alert policy applied to one spec. */
export function policyProblems(spec: SloSpec, policy: BurnRateAlertPolicy): string[] {
  const name = `SLO ${JSON.stringify(spec.id)}, ${policy.speed.toLowerCase()}-burn alert`;
  const problems: string[] = [];
  if (policy.windows.length === 0) problems.push(`${name}: needs at least one window pair`);
  for (const { long, short, factor } of policy.windows) {
    const pair = `${long}/${short}`;
    for (const window of [long, short]) {
      if (!recorded(window)) problems.push(`${name}: window ${window} is not recorded (${SLO_WINDOWS.join(', ')})`);
    }
    if (recorded(long) && recorded(short) && durationSeconds(short) >= durationSeconds(long)) {
      problems.push(`${name}: short window ${short} must be shorter than long window ${long}`);
    }
    if (recorded(long) && recorded(spec.period) && durationSeconds(long) > durationSeconds(spec.period)) {
      problems.push(`${name}: long window ${long} is longer than the period ${spec.period}`);
    }
    if (!(factor > 0)) problems.push(`${name} ${pair}: burn-rate factor must be positive, got ${factor}`);
    // The error ratio cannot exceed 1, so a threshold at or above 1 never fires.
    else if (factor * (1 - spec.objective) >= 1) {
      problems.push(`${name} ${pair}: factor ${factor} × budget ${1 - spec.objective} ≥ 1, an error ratio no service can reach; the alert could never fire`);
    }
  }
  return problems;
}

export class SloSpecError extends Error {
  override name = 'SloSpecError';
}

/** Returns the specs when every spec and policy is sound; otherwise throws listing every problem. */
export function validateSlos(specs: readonly SloSpec[], policies: readonly BurnRateAlertPolicy[]): readonly SloSpec[] {
  const problems = specs.flatMap((spec) => [...specProblems(spec), ...policies.flatMap((policy) => policyProblems(spec, policy))]);
  const ids = specs.map((spec) => spec.id);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length > 0) problems.push(`SLO ids must be unique; repeated: ${[...new Set(duplicates)].join(', ')}`);
  if (problems.length > 0) throw new SloSpecError(`invalid SLO spec:\n  - ${problems.join('\n  - ')}`);
  return specs;
}
