/**
 * A bounded traffic driver for the live proofs: a CRUD mix against items-api (list, get, create,
 * replace, patch, delete) with the client mistakes real callers make (missing items -> 404,
 * invalid bodies and ids -> 400, unknown paths -> 404 `unmatched`), from a fixed number of
 * workers, optionally capped at a request rate, until a duration or request count is reached.
 *
 * A steady rate matters to the alert proofs: an SLO error ratio is bad requests over all
 * requests, so a fault that also changes the throughput (300 ms of latency on 8 workers) would
 * change the denominator too. With `ratePerSecond` set and enough workers, the rate stays put.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/** What one request does, and what the service is expected to answer (when healthy). */
export const REQUEST_KINDS = {
  list: 'GET /items?limit=…&offset=… (200)',
  get: 'GET /items/:id of a created item (200)',
  create: 'POST /items (201)',
  replace: 'PUT /items/:id (200)',
  patch: 'PATCH /items/:id (200)',
  delete: 'DELETE /items/:id (204)',
  getMissing: 'GET /items/:id of an id nobody created (404)',
  invalidBody: 'POST /items with an invalid body (400)',
  invalidId: 'GET /items/:id with a non-numeric id (400)',
  unknownPath: 'GET of a path no route matches (404, route="unmatched")',
} as const;

export type RequestKind = keyof typeof REQUEST_KINDS;

/** Relative weights; a kind with weight 0 is never sent. */
export type TrafficMix = Readonly<Record<RequestKind, number>>;

/** Mostly successful CRUD, with a tenth of client errors and unknown paths, as a real API sees. */
export const DEFAULT_MIX: TrafficMix = {
  list: 20,
  get: 25,
  create: 15,
  replace: 5,
  patch: 5,
  delete: 8,
  getMissing: 6,
  invalidBody: 5,
  invalidId: 3,
  unknownPath: 8,
};

export interface TrafficOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:3030` (LocalStack.apiUrl). */
  readonly baseUrl: string;
  /** Workers sending one request at a time each. */
  readonly concurrency: number;
  /** Stop after this long. At least one of `durationMs` and `maxRequests` is required. */
  readonly durationMs?: number;
  /** Stop after this many requests (all workers together). */
  readonly maxRequests?: number;
  /** Cap on requests per second across all workers; absent: as fast as the workers go. */
  readonly ratePerSecond?: number;
  /** Weights per kind; kinds left out keep DEFAULT_MIX's weight. */
  readonly mix?: Partial<TrafficMix>;
  /** Per-request limit; a request over it counts as `timeout`. @default 10_000 */
  readonly requestTimeoutMs?: number;
  /** Injected for reproducible mixes. @default Math.random */
  readonly random?: () => number;
}

/** Outcome of a request: the HTTP status as text (`"200"`), or `timeout` / `network-error`. */
export type Outcome = string;

export interface TrafficResult {
  readonly requests: number;
  readonly byStatus: Readonly<Record<Outcome, number>>;
  readonly byKind: Readonly<Record<RequestKind, number>>;
  /** Requests by status class: `2xx`, `4xx`, `5xx`, and `failed` for timeouts and network errors. */
  readonly byClass: Readonly<Record<'2xx' | '3xx' | '4xx' | '5xx' | 'failed', number>>;
  readonly elapsedMs: number;
}

export interface RunningTraffic {
  /** Counts so far. */
  snapshot(): TrafficResult;
  /** Stops the workers after their current request; resolves the final counts. */
  stop(): Promise<TrafficResult>;
  /** Resolves the final counts when the duration or request count is reached (or after `stop`). */
  readonly done: Promise<TrafficResult>;
}

/** Items the driver created and has not deleted yet: gets, updates and deletes use these ids. */
class KnownIds {
  readonly #ids: number[] = [];
  constructor(private readonly max = 500) {}
  add(id: number): void {
    this.#ids.push(id);
    if (this.#ids.length > this.max) this.#ids.shift();
  }
  pick(random: () => number): number | undefined {
    return this.#ids.length === 0 ? undefined : this.#ids[Math.floor(random() * this.#ids.length)];
  }
  take(random: () => number): number | undefined {
    if (this.#ids.length === 0) return undefined;
    return this.#ids.splice(Math.floor(random() * this.#ids.length), 1)[0];
  }
}

interface PlannedRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** Runs with the parsed JSON of a 2xx answer (records a created id). */
  readonly onSuccess?: (json: unknown) => void;
}

/** Ids above anything a short run creates, and inside the API's valid id range. */
const MISSING_ID_BASE = 9_000_000_000;

function planRequest(kind: RequestKind, ids: KnownIds, random: () => number, seq: number): PlannedRequest {
  const item = () => ({ name: `traffic item ${seq}`, price: Math.round(random() * 10_000) / 100, description: seq % 3 === 0 ? null : `made by the traffic driver (${seq})` });
  const create: PlannedRequest = {
    method: 'POST',
    path: '/items',
    body: item(),
    onSuccess: (json) => {
      const id = (json as { id?: unknown } | null)?.id;
      if (typeof id === 'number') ids.add(id);
    },
  };
  // A kind that needs an item falls back to creating one while none exists yet.
  const withId = (make: (id: number) => PlannedRequest, take = false): PlannedRequest => {
    const id = take ? ids.take(random) : ids.pick(random);
    return id === undefined ? create : make(id);
  };
  const plans: Record<RequestKind, () => PlannedRequest> = {
    list: () => ({ method: 'GET', path: `/items?limit=${1 + Math.floor(random() * 50)}&offset=${Math.floor(random() * 20)}` }),
    get: () => withId((id) => ({ method: 'GET', path: `/items/${id}` })),
    create: () => create,
    replace: () => withId((id) => ({ method: 'PUT', path: `/items/${id}`, body: item() })),
    patch: () => withId((id) => ({ method: 'PATCH', path: `/items/${id}`, body: { price: Math.round(random() * 10_000) / 100 } })),
    delete: () => withId((id) => ({ method: 'DELETE', path: `/items/${id}` }), true),
    getMissing: () => ({ method: 'GET', path: `/items/${MISSING_ID_BASE + seq}` }),
    invalidBody: () => ({ method: 'POST', path: '/items', body: seq % 2 === 0 ? { name: '', price: -1 } : { name: 'x', price: 1, colour: 'red' } }),
    invalidId: () => ({ method: 'GET', path: `/items/not-a-number-${seq % 7}` }),
    unknownPath: () => ({ method: 'GET', path: `/no-such-path/${seq % 13}` }),
  };
  return plans[kind]();
}

/** Picks kinds with probability proportional to their weight. */
function kindPicker(mix: TrafficMix, random: () => number): () => RequestKind {
  const entries = (Object.entries(mix) as Array<[RequestKind, number]>).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  if (entries.length === 0 || !Number.isFinite(total)) throw new Error('traffic mix: at least one kind needs a positive weight');
  return () => {
    let r = random() * total;
    for (const [kind, weight] of entries) {
      r -= weight;
      if (r < 0) return kind;
    }
    return entries[entries.length - 1]![0];
  };
}

function validate(opts: TrafficOptions): void {
  const problems: string[] = [];
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1 || opts.concurrency > 256) problems.push(`concurrency must be an integer in 1..256 (got ${opts.concurrency})`);
  if (opts.durationMs === undefined && opts.maxRequests === undefined) problems.push('give durationMs or maxRequests: traffic must stop by itself');
  if (opts.durationMs !== undefined && !(opts.durationMs > 0)) problems.push(`durationMs must be > 0 (got ${opts.durationMs})`);
  if (opts.maxRequests !== undefined && !(Number.isInteger(opts.maxRequests) && opts.maxRequests > 0)) problems.push(`maxRequests must be a positive integer (got ${opts.maxRequests})`);
  if (opts.ratePerSecond !== undefined && !(opts.ratePerSecond > 0)) problems.push(`ratePerSecond must be > 0 (got ${opts.ratePerSecond})`);
  for (const [kind, weight] of Object.entries(opts.mix ?? {})) {
    if (!(kind in REQUEST_KINDS)) problems.push(`unknown request kind ${JSON.stringify(kind)} in mix (known: ${Object.keys(REQUEST_KINDS).join(', ')})`);
    if (!(typeof weight === 'number' && weight >= 0)) problems.push(`weight of ${kind} must be a number >= 0`);
  }
  if (problems.length > 0) throw new Error(`traffic: ${problems.join('; ')}`);
}

const classOf = (outcome: Outcome): keyof TrafficResult['byClass'] => {
  const first = outcome[0];
  return /^\d{3}$/.test(outcome) && (first === '2' || first === '3' || first === '4' || first === '5') ? (`${first}xx` as '2xx') : 'failed';
};

/** Starts the workers in the background; `done` resolves the final counts. */
export function startTraffic(opts: TrafficOptions): RunningTraffic {
  validate(opts);
  const random = opts.random ?? Math.random;
  const mix: TrafficMix = { ...DEFAULT_MIX, ...opts.mix };
  const nextKind = kindPicker(mix, random);
  const requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  const ids = new KnownIds();
  const stopper = new AbortController();
  // Every waiting worker listens on the stop signal.
  setMaxListeners(opts.concurrency + 10, stopper.signal);
  const started = Date.now();
  const deadline = opts.durationMs === undefined ? Number.POSITIVE_INFINITY : started + opts.durationMs;
  const maxRequests = opts.maxRequests ?? Number.POSITIVE_INFINITY;
  const byStatus: Record<Outcome, number> = {};
  const byKind = Object.fromEntries(Object.keys(REQUEST_KINDS).map((k) => [k, 0])) as Record<RequestKind, number>;
  const byClass: Record<keyof TrafficResult['byClass'], number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, failed: 0 };
  let issued = 0;
  let completed = 0;
  let stoppedAt: number | undefined;

  const snapshot = (): TrafficResult => ({
    requests: completed,
    byStatus: { ...byStatus },
    byKind: { ...byKind },
    byClass: { ...byClass },
    elapsedMs: (stoppedAt ?? Date.now()) - started,
  });
  const finished = () => stopper.signal.aborted || Date.now() >= deadline || issued >= maxRequests;

  /** With a rate cap, request n may start no earlier than n / rate seconds after the start. */
  const waitForSlot = async (n: number) => {
    if (opts.ratePerSecond === undefined) return;
    const due = started + (n * 1000) / opts.ratePerSecond;
    const wait = Math.min(due, deadline) - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal: stopper.signal }).catch(() => undefined);
  };

  const send = async (seq: number) => {
    const kind = nextKind();
    const plan = planRequest(kind, ids, random, seq);
    byKind[kind]++;
    let outcome: Outcome;
    try {
      const res = await fetch(`${opts.baseUrl}${plan.path}`, {
        method: plan.method,
        headers: plan.body === undefined ? {} : { 'content-type': 'application/json' },
        body: plan.body === undefined ? undefined : JSON.stringify(plan.body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      const text = await res.text(); // read to the end: frees the keep-alive connection
      outcome = String(res.status);
      if (res.ok && plan.onSuccess && text) plan.onSuccess(JSON.parse(text) as unknown);
    } catch (error) {
      outcome = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network-error';
    }
    byStatus[outcome] = (byStatus[outcome] ?? 0) + 1;
    byClass[classOf(outcome)]++;
    completed++;
  };

  const worker = async () => {
    // Bounded twice: by the deadline / request count, and by this loop's own ceiling.
    const ceiling = Number.isFinite(maxRequests) ? maxRequests : 10_000_000;
    for (let i = 0; i < ceiling && !finished(); i++) {
      const seq = issued++;
      await waitForSlot(seq);
      if (stopper.signal.aborted || Date.now() >= deadline) break;
      await send(seq);
    }
  };

  const done = Promise.all(Array.from({ length: opts.concurrency }, worker)).then(() => {
    stoppedAt = Date.now();
    return snapshot();
  });
  return {
    snapshot,
    done,
    stop: () => {
      stopper.abort();
      return done;
    },
  };
}

/** `2xx 812, 4xx 190, 5xx 0 (200 610, 201 120, 404 150, …)`, for test output. */
export function formatTraffic(result: TrafficResult): string {
  const classes = Object.entries(result.byClass)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  const statuses = Object.entries(result.byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  const rate = result.elapsedMs > 0 ? (result.requests / (result.elapsedMs / 1000)).toFixed(1) : '0';
  return `${result.requests} requests in ${(result.elapsedMs / 1000).toFixed(1)} s (${rate}/s): ${classes || 'none'} (${statuses || '-'})`;
}
