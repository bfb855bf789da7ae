import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

/**
 * Every metric a service exposes at `/metrics`, in one place. Labels carry no personal data and have bounded values:
 * service and subgraph names, caller kinds, registered error codes, policy outcomes, consumer names, and operation
 * names cut down by `operationLabel`. One process runs one service in production; `npm start` and the tests run
 * several in one process, hence the `service` label on what each serves.
 */
const PREFIX = 'credit_graph_';
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Requests answered, by operation, caller kind and outcome (`OK` or the first error's code). */
export const requests = new Counter({
  name: `${PREFIX}requests_total`,
  help: 'GraphQL requests answered, by service, operation name, caller kind and outcome code',
  labelNames: ['service', 'operation', 'caller_kind', 'outcome'] as const,
});

export const requestSeconds = new Histogram({
  name: `${PREFIX}request_duration_seconds`,
  help: 'Time from a request arriving to its response being sent',
  labelNames: ['service', 'operation', 'caller_kind', 'outcome'] as const,
  buckets: SECONDS,
});

export const subgraphFetchSeconds = new Histogram({
  name: `${PREFIX}subgraph_fetch_duration_seconds`,
  help: "The gateway's fetches to each subgraph, by outcome (ok or error)",
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: SECONDS,
});

export const subgraphFetchErrors = new Counter({
  name: `${PREFIX}subgraph_fetch_errors_total`,
  help: 'Subgraph fetches that failed, by reason (timeout, cut_off, failed)',
  labelNames: ['subgraph', 'reason'] as const,
});

export const subgraphFetchesShared = new Counter({
  name: `${PREFIX}subgraph_fetches_shared_total`,
  help: 'Subgraph fetches not sent because an identical one by the same caller was in flight (its answer was shared)',
  labelNames: ['subgraph'] as const,
});

/** What the policy did to the answers: values masked, hashed or withheld, fields forbidden, rows hidden. */
export const policyOutcomes = new Counter({
  name: `${PREFIX}policy_outcomes_total`,
  help: 'Values the policy changed, by outcome (masked, hashed, withheld, forbidden, row_hidden) and caller kind',
  labelNames: ['outcome', 'caller_kind'] as const,
});

export const queryLogAppendSeconds = new Histogram({
  name: `${PREFIX}query_log_append_duration_seconds`,
  help: 'Query-log appends (one per response that reveals personal data or answers a market partner)',
  buckets: SECONDS,
});

export const queryLogAppendFailures = new Counter({
  name: `${PREFIX}query_log_append_failures_total`,
  help: 'Query-log appends that failed (timeout or error); the data they would have recorded was withheld',
  labelNames: ['reason'] as const,
});

export const queryLogHead = new Gauge({
  name: `${PREFIX}query_log_head_seq`,
  help: "The query log's last record number when its head was last published (it only grows)",
});

export const rateLimitRefusals = new Counter({
  name: `${PREFIX}rate_limit_refusals_total`,
  help: 'Requests refused by a limit, by caller kind and limit (rate, in_flight, person_lookups)',
  labelNames: ['caller_kind', 'limit'] as const,
});

export const eventDeliveryLag = new Histogram({
  name: `${PREFIX}event_delivery_lag_seconds`,
  help: 'Time from an event being written to its outbox to a consumer handling it, per consumer',
  labelNames: ['consumer'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
});

export const eventHandlerFailures = new Counter({
  name: `${PREFIX}event_handler_failures_total`,
  help: 'Events whose handler failed (they are delivered again), per consumer',
  labelNames: ['consumer'] as const,
});

export const supergraphReloads = new Counter({
  name: `${PREFIX}supergraph_reloads_total`,
  help: "The gateway's reloads of its supergraph and registered operations, by outcome (applied, unchanged, refused)",
  labelNames: ['outcome'] as const,
});

/** Read when scraped: every outbox this process relays, registered by `watchOutbox`. */
const outboxes = new Map<string, () => Promise<{ backlog: number; oldestSeconds: number }>>();

export function watchOutbox(service: string, read: () => Promise<{ backlog: number; oldestSeconds: number }>): () => void {
  outboxes.set(service, read);
  return () => outboxes.delete(service);
}

async function readOutboxes(): Promise<Map<string, { backlog: number; oldestSeconds: number }>> {
  const read = await Promise.all([...outboxes].map(async ([service, read]) => [service, await read().catch(() => null)] as const));
  return new Map(read.flatMap(([service, value]) => (value ? [[service, value] as const] : [])));
}

export const outboxBacklog = new Gauge({
  name: `${PREFIX}outbox_backlog`,
  help: 'Events written but not yet relayed to the bus, per publishing service',
  labelNames: ['service'] as const,
  async collect() {
    this.reset();
    for (const [service, { backlog }] of await readOutboxes()) this.set({ service }, backlog);
  },
});

export const outboxOldest = new Gauge({
  name: `${PREFIX}outbox_oldest_undelivered_seconds`,
  help: 'Age of the oldest event not yet relayed, per publishing service (0 when none): the relay lag',
  labelNames: ['service'] as const,
  async collect() {
    this.reset();
    for (const [service, { oldestSeconds }] of await readOutboxes()) this.set({ service }, oldestSeconds);
  },
});

const pools = new Map<string, () => { total: number; idle: number; waiting: number }>();

/** A PostgreSQL pool reported under its schema's name until it closes. */
export function watchPool(database: string, read: () => { total: number; idle: number; waiting: number }): () => void {
  pools.set(database, read);
  return () => pools.delete(database);
}

export const dbPool = new Gauge({
  name: `${PREFIX}db_pool_connections`,
  help: 'PostgreSQL pool connections per database, by state (total, idle, waiting: requests queued for one)',
  labelNames: ['database', 'state'] as const,
  collect() {
    this.reset();
    for (const [database, read] of pools) {
      const { total, idle, waiting } = read();
      this.set({ database, state: 'total' }, total);
      this.set({ database, state: 'idle' }, idle);
      this.set({ database, state: 'waiting' }, waiting);
    }
  },
});

// the process's own: CPU, memory, event-loop lag, handles
collectDefaultMetrics({ register });

/** The text `/metrics` answers. */
export async function scrape(): Promise<{ contentType: string; body: string }> {
  return { contentType: register.contentType, body: await register.metrics() };
}

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** A run of digits is how an identifier, a phone number or a date would look in a name: never a label. */
const DIGITS = /[0-9]{4,}/;
const MAX_OPERATIONS = 200;
const seenOperations = new Set<string>();

/**
 * A caller names its operations: the label keeps a name only when it looks like one (no long digit runs that could
 * carry an identifier), and only the first 200 names a process sees, so no caller can grow the series without bound.
 */
export function operationLabel(name: unknown): string {
  if (name === undefined || name === null || name === '') return 'anonymous';
  if (typeof name !== 'string' || !OPERATION_NAME.test(name) || DIGITS.test(name)) return 'other';
  if (seenOperations.has(name)) return name;
  if (seenOperations.size >= MAX_OPERATIONS) return 'other';
  seenOperations.add(name);
  return name;
}

/** The gateway's answer cache (gateway/pipeline/answerFromCache.ts): answers given again, and why others were not. */
export const answerCacheLookups = new Counter({
  name: `${PREFIX}answer_cache_lookups_total`,
  help: 'Queries the answer cache was asked for, by caller kind and result (hit, miss, error)',
  labelNames: ['caller_kind', 'result'] as const,
});

export const answerCacheInvalidationLag = new Histogram({
  name: `${PREFIX}answer_cache_invalidation_lag_seconds`,
  help: 'Time from an event being written to its outbox to the answer cache no longer giving answers from before it',
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});
