/**
 * Every metric items-api exposes, as data. The service builds its prom-client objects from this
 * table; the alert rules, dashboards and `docs/METRICS.md` read names and labels from it, so a
 * rename happens in one place.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Histogram bucket upper bounds in seconds. */
  readonly buckets?: readonly number[];
}

/** Latency SLO threshold: "fast" means answered within this many seconds. Must be a bucket bound. */
export const LATENCY_SLO_THRESHOLD_SECONDS = 0.25;

/** HTTP latency buckets, dense around the 0.25 s SLO threshold so quantiles near it are sharp. */
export const HTTP_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, LATENCY_SLO_THRESHOLD_SECONDS, 0.5, 1, 2.5, 5, 10,
] as const;

/** Query and pool-wait buckets: most queries are sub-millisecond on loopback. */
export const DB_DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

/** Route label for requests that matched no router template; one value, so unknown paths add no series. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Routes that are probes or infrastructure, excluded from SLIs. */
export const NON_SLI_ROUTES = ['/livez', '/readyz', '/health', '/openapi.json', '/docs', '/docs/init.js', '/docs/:asset'] as const;

/** `operation` label values of `db_query_duration_seconds`. */
export const DB_OPERATIONS = ['select', 'insert', 'update', 'delete', 'other'] as const;
export type DbOperation = (typeof DB_OPERATIONS)[number];

/** `outcome` label values of `db_query_duration_seconds`. */
/** Label names of the service's metrics: the one spelling rules, dashboards and the service use. */
export const LABELS = {
  method: 'method',
  route: 'route',
  statusCode: 'status_code',
  operation: 'operation',
  outcome: 'outcome',
  state: 'state',
} as const;

/** `state` values of `db_pool_connections`. */
export const POOL_STATES = { used: 'used', idle: 'idle' } as const;

export const DB_QUERY_OUTCOMES = ['success', 'error'] as const;
export type DbQueryOutcome = (typeof DB_QUERY_OUTCOMES)[number];

export const METRICS = {
  httpRequestsTotal: {
    name: 'http_requests_total',
    type: 'counter',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: [LABELS.method, LABELS.route, LABELS.statusCode],
  },
  httpRequestDuration: {
    name: 'http_request_duration_seconds',
    type: 'histogram',
    help: 'Time from request arrival until the response is ready to send, by method, route template and status code.',
    labelNames: [LABELS.method, LABELS.route, LABELS.statusCode],
    buckets: HTTP_DURATION_BUCKETS,
  },
  httpRequestsInFlight: {
    name: 'http_requests_in_flight',
    type: 'gauge',
    help: 'HTTP requests being served right now.',
    labelNames: [LABELS.method],
  },
  itemsCreated: { name: 'items_created_total', type: 'counter', help: 'Items created successfully.', labelNames: [] },
  itemsRead: { name: 'items_read_total', type: 'counter', help: 'Items returned by successful reads (one per item fetched by id, one per item in a list page).', labelNames: [] },
  itemsUpdated: { name: 'items_updated_total', type: 'counter', help: 'Items updated successfully (PUT or PATCH).', labelNames: [] },
  itemsDeleted: { name: 'items_deleted_total', type: 'counter', help: 'Items deleted successfully.', labelNames: [] },
  dbQueryDuration: {
    name: 'db_query_duration_seconds',
    type: 'histogram',
    help: 'Database query duration, by SQL operation and outcome (success or error).',
    labelNames: [LABELS.operation, LABELS.outcome],
    buckets: DB_DURATION_BUCKETS,
  },
  dbPoolConnections: {
    name: 'db_pool_connections',
    type: 'gauge',
    help: 'Database pool connections by state (used or idle), read at scrape time.',
    labelNames: [LABELS.state],
  },
  dbPoolMaxConnections: { name: 'db_pool_max_connections', type: 'gauge', help: 'Configured maximum size of the database pool.', labelNames: [] },
  dbPoolPendingAcquires: { name: 'db_pool_pending_acquires', type: 'gauge', help: 'Callers waiting for a database connection (pool saturation).', labelNames: [] },
  dbPoolAcquireDuration: {
    name: 'db_pool_acquire_duration_seconds',
    type: 'histogram',
    help: 'Time spent waiting for a database connection from the pool.',
    labelNames: [],
    buckets: DB_DURATION_BUCKETS,
  },
  dbUp: { name: 'db_up', type: 'gauge', help: '1 when the last database check succeeded, 0 otherwise.', labelNames: [] },
  buildInfo: {
    name: 'items_api_build_info',
    type: 'gauge',
    help: 'Always 1; labels carry the version, git revision and Node.js version of the running build.',
    labelNames: ['version', 'revision', 'node_version'],
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;

/** Prefix-free names of prom-client default metrics this project relies on (runtime dashboard, alerts). */
export const RUNTIME_METRICS = {
  eventLoopLagP99: 'nodejs_eventloop_lag_p99_seconds',
  heapUsed: 'nodejs_heap_size_used_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  gcDuration: 'nodejs_gc_duration_seconds',
  cpuSeconds: 'process_cpu_seconds_total',
  residentMemory: 'process_resident_memory_bytes',
  startTime: 'process_start_time_seconds',
} as const;
