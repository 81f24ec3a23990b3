import type { Metric, Registry } from 'prom-client';

export type LabelValues = Readonly<Record<string, string>>;

/** One label set's series: a count per bucket (not cumulative), the sum and the count. */
class HistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  /**
   * Rendered or not. As with prom-client, a label set appears with its first observation, not
   * when a child is bound to it (the service binds every operation × outcome at start-up).
   */
  shown = false;

  constructor(
    readonly labels: LabelValues,
    private readonly upperBounds: readonly number[],
  ) {
    this.counts = new Float64Array(upperBounds.length + 1);
  }

  observe(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new TypeError(`histogram observation must be a finite number, got ${seconds}`);
    let bucket = 0;
    while (bucket < this.upperBounds.length && seconds > (this.upperBounds[bucket] as number)) bucket++;
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.sum += seconds;
    this.count++;
    this.shown = true;
  }

  clear(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.shown = false;
  }
}

/** One series value as prom-client's registry renders it. */
export interface SeriesValue {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly metricName: string;
}

/** What the registry reads from a metric; prom-client's typings declare `type` as a numeric enum, at run time it is this string. */
export interface HistogramSnapshot {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly aggregator: 'sum';
  readonly values: readonly SeriesValue[];
}

export interface HistogramOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly buckets: readonly number[];
  readonly registry: Registry;
}

/**
 * A Prometheus histogram for the request path, rendered by prom-client's registry like any of its
 * own metrics. The difference is the child: `labels()` validates the label set once and returns a
 * child that only adds numbers. prom-client's own child converts, validates and hashes its labels
 * again on every observation, which cost about 3 µs each in the service (three observations a
 * request: 5 % of the Node CPU of a GET by id; docs/PERFORMANCE.md). A test renders both for the
 * same observations and compares the text.
 */
export class BoundHistogram {
  readonly type = 'histogram';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly aggregator = 'sum';
  readonly #upperBounds: readonly number[];
  readonly #children = new Map<string, HistogramChild>();
  /** The one child of a histogram without labels, kept so `observe` looks nothing up. */
  readonly #unlabelled: HistogramChild | undefined;

  constructor({ name, help, labelNames, buckets, registry }: HistogramOptions) {
    const sorted = [...buckets].sort((a, b) => a - b);
    if (sorted.some((bound, i) => !Number.isFinite(bound) || (i > 0 && bound === sorted[i - 1]))) {
      throw new Error(`histogram ${name}: buckets must be distinct finite numbers, got ${buckets.join(', ')}`);
    }
    if (labelNames.includes('le')) throw new Error(`histogram ${name}: "le" is reserved for the bucket label`);
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.#upperBounds = sorted;
    // As prom-client does, a histogram without labels shows its zero series before any observation.
    this.#unlabelled = labelNames.length === 0 ? (this.labels({}) as HistogramChild) : undefined;
    if (this.#unlabelled) this.#unlabelled.shown = true;
    // Not a prom-client Metric subclass: the registry needs only name, type, get() and reset().
    registry.registerMetric(this as unknown as Metric);
  }

  /** The child of one label set, created on first use; every label name must be given, no other. */
  labels(labels: LabelValues): { observe(seconds: number): void } {
    const key = this.labelNames.map((label) => labels[label]).join('\u0000');
    let child = this.#children.get(key);
    if (!child) {
      const given = Object.keys(labels);
      const missing = this.labelNames.filter((label) => labels[label] === undefined);
      const unknown = given.filter((label) => !this.labelNames.includes(label));
      if (missing.length > 0 || unknown.length > 0) {
        throw new Error(`histogram ${this.name}: labels ${JSON.stringify(labels)} do not match its label names (${this.labelNames.join(', ')})`);
      }
      child = new HistogramChild({ ...labels }, this.#upperBounds);
      this.#children.set(key, child);
    }
    return child;
  }

  /** For a histogram without labels (with labels, this fails as `labels({})` does). */
  observe(seconds: number): void {
    (this.#unlabelled ?? this.labels({})).observe(seconds);
  }

  /** Hides and zeroes every label set; children already bound keep working, as prom-client's do. */
  reset(): void {
    for (const child of this.#children.values()) child.clear();
  }

  /** What prom-client's Histogram#get returns: cumulative buckets with `le`, then `_sum` and `_count`, per label set. */
  async get(): Promise<HistogramSnapshot> {
    const values: SeriesValue[] = [];
    for (const child of this.#children.values()) {
      if (!child.shown) continue;
      let cumulative = 0;
      this.#upperBounds.forEach((bound, i) => {
        cumulative += child.counts[i] as number;
        values.push({ labels: { le: bound, ...child.labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...child.labels }, value: child.count, metricName: `${this.name}_bucket` });
      values.push({ labels: child.labels, value: child.sum, metricName: `${this.name}_sum` });
      values.push({ labels: child.labels, value: child.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
