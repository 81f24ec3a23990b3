/** The shapes of Prometheus' HTTP API (v1) answers, as the client hands them out. */

export type Labels = Readonly<Record<string, string>>;

/** One sample of an instant query; a scalar result becomes one sample with no labels. */
export interface Sample {
  readonly metric: Labels;
  readonly value: number;
  /** Unix seconds. */
  readonly timestamp: number;
}

export interface RangeSeries {
  readonly metric: Labels;
  readonly values: ReadonlyArray<{ readonly timestamp: number; readonly value: number }>;
}

export interface Target {
  readonly labels: Labels;
  readonly discoveredLabels: Labels;
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly lastScrape: string;
}

export interface ActiveAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
  readonly value: string;
}

interface RuleBase {
  readonly name: string;
  readonly query: string;
  readonly labels?: Labels;
  readonly health: 'ok' | 'err' | 'unknown';
  readonly lastError?: string;
  readonly lastEvaluation: string;
}
export interface RecordingRuleStatus extends RuleBase {
  readonly type: 'recording';
}
export interface AlertingRuleStatus extends RuleBase {
  readonly type: 'alerting';
  readonly state: 'inactive' | 'pending' | 'firing';
  /** The rule's `for`, in seconds. */
  readonly duration: number;
  readonly annotations: Labels;
  readonly alerts: readonly ActiveAlert[];
}
export type RuleStatus = RecordingRuleStatus | AlertingRuleStatus;

export interface RuleGroupStatus {
  readonly name: string;
  readonly file: string;
  /** Seconds. */
  readonly interval: number;
  readonly rules: readonly RuleStatus[];
}
