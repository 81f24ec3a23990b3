/**
 * Load profiles: the one table both k6 (the scenario) and Node (runner, launcher, Job objects)
 * read. Pure data and pure functions only, no imports: k6 loads this file from a flat ConfigMap
 * directory in the cluster, and the root tsconfig compiles it for the Node side.
 *
 * A profile climbs through VU `levels`, starting `rampPerSecond` VUs a second (the old Locust
 * project's spawn rate) and holding each level for `holdSeconds`. Every request is tagged with the
 * level it ran at, so the summary reports throughput, p95 and failures per level: that is how the
 * heavy profile shows where the service saturates instead of one blurred average.
 */

export const PROFILE_NAMES = ['smoke', 'light', 'medium', 'heavy'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface ProfileThresholds {
  /** Largest acceptable share of failed requests (k6 `http_req_failed`, non-2xx/3xx or no answer). */
  readonly failedRate: number;
  /** Largest acceptable 95th-percentile request duration, milliseconds. */
  readonly p95Ms: number;
  /** Smallest acceptable share of passed checks. */
  readonly checksRate: number;
}

export interface Profile {
  readonly description: string;
  /** VU counts the test climbs through, ascending; the last is the peak. */
  readonly levels: readonly number[];
  /** VUs started per second while climbing to the next level. */
  readonly rampPerSecond: number;
  /** How long each level is held; env `HOLD` overrides it (seconds or `30s`, `2m`). */
  readonly holdSeconds: number;
  /** Ramp-down at the end; env `RAMP_DOWN` overrides it. */
  readonly rampDownSeconds: number;
  readonly thresholds: ProfileThresholds;
  /**
   * What a crossed threshold means. `fail`: the service missed its target under a load it must
   * carry. `saturated`: the profile is meant to find the limit; crossing the thresholds marks the
   * level where the service saturated (the run still exits non-zero: the limit was reached).
   */
  readonly onThresholdFailure: 'fail' | 'saturated';
}

/** The SLO targets (99.5 % not 5xx, latency 0.25 s) as test thresholds for loads the service must carry. */
const SLO_THRESHOLDS: ProfileThresholds = { failedRate: 0.005, p95Ms: 250, checksRate: 0.99 };

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  smoke: {
    description: 'a few VUs for ~15 s: the script, the service and the plumbing work',
    levels: [5],
    rampPerSecond: 5,
    holdSeconds: 10,
    rampDownSeconds: 2,
    thresholds: { failedRate: 0.01, p95Ms: 250, checksRate: 0.99 },
    onThresholdFailure: 'fail',
  },
  light: {
    description: '50 VUs started 10/s (the old project\'s first level); must meet the SLO',
    levels: [50],
    rampPerSecond: 10,
    holdSeconds: 120,
    rampDownSeconds: 10,
    thresholds: SLO_THRESHOLDS,
    onThresholdFailure: 'fail',
  },
  medium: {
    description: '100 VUs started 10/s; must meet the SLO',
    levels: [100],
    rampPerSecond: 10,
    holdSeconds: 180,
    rampDownSeconds: 10,
    thresholds: SLO_THRESHOLDS,
    onThresholdFailure: 'fail',
  },
  heavy: {
    description: 'up to 1000 VUs started 20/s in steps of 100; finds the level where the service saturates',
    levels: [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000],
    rampPerSecond: 20,
    holdSeconds: 20,
    rampDownSeconds: 15,
    // Saturated: one request in 20 fails, or p95 passes a second (4x the latency SLO).
    thresholds: { failedRate: 0.05, p95Ms: 1000, checksRate: 0.95 },
    onThresholdFailure: 'saturated',
  },
};

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

export function profileOf(name: string): Profile {
  if (!isProfileName(name)) throw new Error(`unknown load profile "${name}": use one of ${PROFILE_NAMES.join(', ')}`);
  return PROFILES[name];
}

/** Durations as k6 writes them: `45`, `45s`, `2m`, `1m30s`, `1h`. Seconds. */
export function parseDurationSeconds(text: string, what: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/^(\d+(\.\d+)?[hms])+$/.test(trimmed)) throw new Error(`${what}: "${text}" is not a duration (use 45, 45s, 2m or 1m30s)`);
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1 };
  // A plain exec loop, not matchAll: k6's JavaScript runtime is not a full ES2022 engine.
  const part = /(\d+(?:\.\d+)?)([hms])/g;
  let seconds = 0;
  let matched: RegExpExecArray | null;
  while ((matched = part.exec(trimmed)) !== null) seconds += Number(matched[1]) * (unit[matched[2] ?? 's'] ?? 1);
  return seconds;
}

/** Environment variables that override a profile's durations (same names locally and in the cluster). */
export interface DurationOverrides {
  readonly HOLD?: string | undefined;
  readonly RAMP_DOWN?: string | undefined;
}

export interface Stage {
  readonly durationSeconds: number;
  readonly target: number;
  /** The VU level a request made during this stage is tagged with (the level being climbed to or held). */
  readonly level: number;
}

/** The ramping-vus stages of a profile: climb to each level, hold it; then ramp down. */
export function stagesOf(profile: Profile, overrides: DurationOverrides = {}): Stage[] {
  const hold = overrides.HOLD ? parseDurationSeconds(overrides.HOLD, 'HOLD') : profile.holdSeconds;
  const rampDown = overrides.RAMP_DOWN ? parseDurationSeconds(overrides.RAMP_DOWN, 'RAMP_DOWN') : profile.rampDownSeconds;
  const stages: Stage[] = [];
  let previous = 0;
  for (const level of profile.levels) {
    stages.push({ durationSeconds: Math.max(1, Math.ceil((level - previous) / profile.rampPerSecond)), target: level, level });
    stages.push({ durationSeconds: hold, target: level, level });
    previous = level;
  }
  // Ramp-down requests are tagged level 0: lighter load would flatter the peak level's figures.
  stages.push({ durationSeconds: rampDown, target: 0, level: 0 });
  return stages;
}

/** Planned run time in seconds, without k6's graceful stop. */
export function plannedSeconds(profile: Profile, overrides: DurationOverrides = {}): number {
  return stagesOf(profile, overrides).reduce((total, s) => total + s.durationSeconds, 0);
}

/** Level a request made `elapsedSeconds` after the start belongs to (0: ramping down or after the plan). */
export function levelAt(stages: readonly Stage[], elapsedSeconds: number): number {
  let end = 0;
  for (const stage of stages) {
    end += stage.durationSeconds;
    if (elapsedSeconds < end) return stage.level;
  }
  return 0;
}
