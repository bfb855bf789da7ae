import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { demoDataset, showcaseSubject } from '../lib/demo/dataset.js';
import { startTracing } from '../lib/platform/observe/tracing.js';
import type { RunningSystem } from '../scripts/system.js';
import { backends } from './kit/backends.js';
import { graphql, startTestSystem } from './kit/system.js';
import { fullReader } from './kit/tokens.js';

/**
 * What an operator watches: `/metrics` with every family the operations guide lists, a request id that follows a request
 * from the caller through the subgraphs, and traces across gateway → subgraphs → SQL that carry no personal data.
 * On PostgreSQL when it is configured (the pool's gauge needs a pool).
 */
const backend = backends[backends.length - 1]!;
const FILE = 'query CreditFile($c: ID!) { subject(code: $c) { code name legalRepresentative { name idNumber } entries { kind status } tasks { status } } }';

const FAMILIES = [
  'credit_graph_requests_total',
  'credit_graph_request_duration_seconds',
  'credit_graph_subgraph_fetch_duration_seconds',
  'credit_graph_subgraph_fetch_errors_total',
  'credit_graph_policy_outcomes_total',
  'credit_graph_query_log_append_duration_seconds',
  'credit_graph_query_log_append_failures_total',
  'credit_graph_query_log_head_seq',
  'credit_graph_rate_limit_refusals_total',
  'credit_graph_outbox_backlog',
  'credit_graph_outbox_oldest_undelivered_seconds',
  'credit_graph_event_delivery_lag_seconds',
  'credit_graph_event_handler_failures_total',
  'credit_graph_db_pool_connections',
  'process_cpu_seconds_total',
  'nodejs_eventloop_lag_seconds',
];

describe(`observing the system (${backend.name})`, () => {
  const spans = new InMemorySpanExporter();
  let stopTracing: () => Promise<void>;
  let system: RunningSystem;
  const code = showcaseSubject().code;
  const representative = demoDataset().subjects.find((s) => s.code === code)!.legalRepresentative!;

  beforeAll(async () => {
    stopTracing = await startTracing({ serviceName: 'credit-graph', exporter: spans });
    system = await startTestSystem(backend, { env: { PERSON_LOOKUPS_PER_MINUTE: '30' } });
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    await stopTracing?.();
  });

  test('/metrics shows every family after a few requests, with the labels an operator filters by; callers cannot read it', async () => {
    const department = await fullReader();
    expect((await graphql(system.gatewayUrl, FILE, { c: code }, department)).status).toBe(200);
    expect((await graphql(system.gatewayUrl, FILE, { c: code })).status).toBe(200);
    // six resident ID numbers in one request: over the anonymous caller's per-request limit (A6)
    const persons = demoDataset()
      .subjects.filter((s) => s.kind === 'PERSON')
      .slice(0, 6)
      .map((s) => s.code);
    expect((await graphql(system.gatewayUrl, 'query Many($c: [ID!]!) { subjects(codes: $c) { code } }', { c: persons })).status).toBe(400);

    const text = await (await fetch(system.metricsUrl)).text();
    for (const family of FAMILIES) expect(text).toContain(`# TYPE ${family} `);
    const sample = (pattern: RegExp) => text.split('\n').find((line) => pattern.test(line));
    expect(sample(/^credit_graph_requests_total\{service="gateway",operation="CreditFile",caller_kind="department",outcome="OK"\} [1-9]/)).toBeDefined();
    expect(
      sample(/^credit_graph_requests_total\{service="gateway",operation="Many",caller_kind="anonymous",outcome="TOO_MANY_PERSON_CODES"\} 1/),
    ).toBeDefined();
    expect(
      sample(/^credit_graph_requests_total\{service="listings",operation="CreditFile__listings__0",caller_kind="department",outcome="OK"\}/),
    ).toBeDefined();
    expect(sample(/^credit_graph_subgraph_fetch_duration_seconds_count\{subgraph="listings",outcome="ok"\} [1-9]/)).toBeDefined();
    expect(sample(/^credit_graph_policy_outcomes_total\{outcome="masked",caller_kind="anonymous"\} [1-9]/)).toBeDefined();
    expect(sample(/^credit_graph_query_log_append_duration_seconds_count [1-9]/)).toBeDefined();
    expect(sample(/^credit_graph_rate_limit_refusals_total\{caller_kind="anonymous",limit="person_lookups_per_request"\} 1/)).toBeDefined();
    expect(sample(/^credit_graph_outbox_backlog\{service="listings"\} \d/)).toBeDefined();
    expect(sample(/^credit_graph_event_delivery_lag_seconds_count\{consumer="(enforcement|repair)"\} [1-9]/)).toBeDefined();
    if (backend.url) expect(sample(/^credit_graph_db_pool_connections\{database="[a-z0-9_]+",state="total"\} \d/)).toBeDefined();
    // nothing a caller sent or was shown: no subject code, no name, no ID number
    for (const value of [code, representative.name, representative.idNumber, ...persons]) expect(text).not.toContain(value);

    // the counts of what the policy did would tell a caller what it hid: not on the callers' port
    expect((await fetch(system.gatewayUrl.replace(/\/graphql$/, '/metrics'))).status).toBe(404);
    // a subgraph, reached only by the gateway, serves its own
    expect(await (await fetch(system.subgraphUrls.listings.replace(/\/graphql$/, '/metrics'))).text()).toContain('# TYPE credit_graph_requests_total ');
  });

  test('an operation name that could carry a number is not a label, and no caller can grow the series without bound', async () => {
    await graphql(system.gatewayUrl, `query Person${representative.idNumber.slice(0, 17)} { __typename }`);
    const letters = (i: number) => [...i.toString(26)].map((d) => String.fromCharCode(97 + parseInt(d, 26))).join('');
    for (let i = 0; i < 230; i++) await graphql(system.gatewayUrl, `query Op_${letters(i)} { __typename }`);
    const text = await (await fetch(system.metricsUrl)).text();
    expect(text).not.toContain(representative.idNumber.slice(0, 17));
    const operations = new Set([...text.matchAll(/^credit_graph_requests_total\{service="gateway",operation="([^"]+)"/gm)].map((m) => m[1]));
    expect(operations.size).toBeLessThanOrEqual(202); // 200 names, `other`, `anonymous`
    expect(operations).toContain('other');
  });

  test("a request keeps the caller's x-request-id (one is made when absent or when it could carry a number) and returns it", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(system.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    expect((await post({ 'x-request-id': 'approval-7f3a-0001' })).headers.get('x-request-id')).toBe('approval-7f3a-0001');
    expect((await post({})).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = (await post({ 'x-request-id': representative.idNumber })).headers.get('x-request-id');
    expect(hostile).not.toBe(representative.idNumber);
    expect(hostile).toMatch(/^[0-9a-f-]{36}$/);
    for (const odd of ['a"b<script>', 'x'.repeat(200), 'two words here'])
      expect((await post({ 'x-request-id': odd })).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('one trace runs from the caller through the gateway to each subgraph and its SQL, and no span carries personal data', async () => {
    spans.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const department = await fullReader();
    const res = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01`, ...department },
      body: JSON.stringify({ query: FILE, variables: { c: code } }),
    });
    const body = (await res.json()) as { data: { subject: { legalRepresentative: { idNumber: string } } } };
    expect(body.data.subject.legalRepresentative.idNumber).toBe(representative.idNumber); // revealed in full to this caller

    const mine = () => spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    await waitFor(() => mine().some((s) => s.name === 'POST /graphql' && s.attributes['credit_graph.service'] === 'gateway'));
    const trace = mine();
    const byId = new Map(trace.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: ReadableSpan) => byId.get(s.parentSpanContext?.spanId ?? '');
    const gateway = trace.find((s) => s.name === 'POST /graphql' && s.attributes['credit_graph.service'] === 'gateway')!;
    expect(gateway.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(gateway.attributes).toMatchObject({
      'credit_graph.caller_kind': 'department',
      'credit_graph.outcome': 'OK',
      'graphql.operation.name': 'CreditFile',
    });
    const listings = trace.find((s) => s.name === 'POST /graphql' && s.attributes['credit_graph.service'] === 'listings')!;
    expect(parentOf(listings)?.name).toBe('fetch listings');
    const sql = trace.filter((s) => s.name.startsWith('db '));
    expect(sql.length).toBeGreaterThan(0);
    // every SQL span descends from a subgraph's or the gateway's server span (the query log's append)
    for (const s of sql) {
      let up: ReadableSpan | undefined = s;
      while (up && up.name !== 'POST /graphql') up = parentOf(up);
      expect(up).toBeDefined();
    }

    const told = JSON.stringify(trace.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links })));
    for (const value of [representative.name, representative.idNumber, code]) expect(told).not.toContain(value);
  });
});

async function waitFor(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
