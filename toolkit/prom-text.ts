import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Every sample of a Prometheus text exposition, flat. The parser folds labelled histogram
 * samples together and loses their labels, so `# TYPE` lines are dropped first: every line then
 * parses as an untyped sample that keeps its own name and labels.
 */
export function parseSamples(text: string): Sample[] {
  const untyped = text
    .split('\n')
    .filter((line) => !line.startsWith('# TYPE'))
    .join('\n');
  return parsePrometheusTextFormat(untyped).flatMap((family) =>
    (family.metrics as Array<{ labels?: Record<string, string>; value?: string }>).map((m) => ({
      name: family.name,
      labels: m.labels ?? {},
      value: Number(m.value),
    })),
  );
}

/** Sum of the values of samples named `name` whose labels include `match`. */
export function sumOf(samples: readonly Sample[], name: string, match: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}

export async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`scrape ${url}: HTTP ${res.status}`);
  return parseSamples(await res.text());
}

/**
 * Runtime series whose label values follow what the process is doing at scrape time, not request
 * paths: GC kinds appear when that GC first runs, active handle/resource types come and go.
 * Cardinality checks leave them out.
 */
export const isRuntimeLabelled = (name: string): boolean => /^nodejs_(gc_|active_)/.test(name);

/** `name{labels}` keys of every sample, minus the runtime-labelled ones. */
export function seriesKeys(samples: readonly Sample[]): Set<string> {
  return new Set(samples.filter((s) => !isRuntimeLabelled(s.name)).map((s) => `${s.name}${JSON.stringify(s.labels)}`));
}
