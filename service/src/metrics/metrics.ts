import { Counter, Gauge, collectDefaultMetrics, type Registry } from 'prom-client';
import { BoundHistogram } from './bound-histogram.js';
import { METRICS, type MetricDefinition } from './catalog.js';

type Built<T extends MetricDefinition> = T['type'] extends 'counter'
  ? Counter<string>
  : T['type'] extends 'gauge'
    ? Gauge<string>
    : BoundHistogram;

export type Metrics = { readonly [K in keyof typeof METRICS]: Built<(typeof METRICS)[K]> };

const CONSTRUCTORS = {
  counter: (def: MetricDefinition, registry: Registry) =>
    new Counter({ name: def.name, help: def.help, labelNames: [...def.labelNames], registers: [registry] }),
  gauge: (def: MetricDefinition, registry: Registry) =>
    new Gauge({ name: def.name, help: def.help, labelNames: [...def.labelNames], registers: [registry] }),
  // The histograms are observed on every request: children bound once (bound-histogram.ts).
  histogram: (def: MetricDefinition, registry: Registry) =>
    new BoundHistogram({ name: def.name, help: def.help, labelNames: def.labelNames, buckets: def.buckets ?? [], registry }),
} as const;

export interface BuildInfo {
  version: string;
  revision: string;
}

/**
 * Registers every catalog metric, the prom-client default (process and runtime) metrics and the
 * build info on the given registry. Each app gets its own registry, so tests never collide.
 */
export function createMetrics(registry: Registry, build: BuildInfo): Metrics {
  const entries = Object.entries(METRICS).map(([key, def]) => [key, CONSTRUCTORS[def.type](def, registry)]);
  const metrics = Object.fromEntries(entries) as Metrics;
  collectDefaultMetrics({ register: registry });
  metrics.buildInfo.set({ version: build.version, revision: build.revision, node_version: process.version }, 1);
  return metrics;
}
