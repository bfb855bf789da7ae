/**
 * `npm run bench:peers`: our gateway against other federation gateways on the same supergraph, in front of the same
 * three subgraphs. The subgraphs start once, in this process (in-memory PGlite, seeded with the demonstration data, as
 * scripts/system.ts starts them); then, each on its own port:
 *
 *   ours-dept   ours, policy on, a department caller (bearer token, stated purpose; the query log appends as deployed)
 *   ours-anon   ours, policy on, an anonymous caller (no token)
 *   ours-off    ours, policy 'off-for-benchmark'
 *   apollo      a bare @apollo/gateway (static supergraph, Apollo Server standalone) whose data source adds the proof
 *   hive        Hive Gateway (@graphql-hive/gateway-runtime on node:http), in-flight deduplication of subgraph requests off
 *   hive-dedup  Hive Gateway as it comes (deduplication on)
 *   hive-rust   Hive Gateway with its Rust query planner (@graphql-hive/router-runtime), when that loads; skipped otherwise
 *
 * The subgraphs trust only a request carrying a proof (lib/platform/auth/gatewayProof.ts): the other gateways make one
 * per subgraph fetch for one fixed department caller, the one ours-dept's token names, so the subgraphs do the same work.
 *
 * Workloads: W1 one credit file, W2 50 credit files in one query, W3 100 credit checks in one query (./bench/peers/workloads.ts).
 * Before measuring, every gateway answers every workload once and each answer is checked (data, no errors, the right
 * subjects); a wrong answer aborts the run. Then autocannon (in a worker thread) at 10 and 50 connections: for each
 * round, for each workload and number of connections, every gateway in turn (the order rotated from cell to cell and
 * round to round), each a warm-up then a measured run. Non-2xx answers, connection errors and 2xx answers carrying
 * errors (mismatches) are counted and reported. Tables go to stdout; progress goes to stderr.
 *
 * Environment: BENCH_PEERS_WARMUP (seconds, default 3), BENCH_PEERS_SECONDS (10), BENCH_PEERS_ROUNDS (1), BENCH_PEERS_ONLY
 * (gateways, comma-separated, from the ids above; default all), BENCH_PEERS_CONNECTIONS (default 10,50),
 * BENCH_PEERS_WORKLOADS (default W1,W2,W3). DATABASE_URL and REDIS_URL are deliberately ignored.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Caller } from '../lib/contracts/caller.js';
import { proofKeys } from '../lib/platform/auth/gatewayProof.js';
import type { Database } from '../lib/platform/db/index.js';
import { readConfig } from '../lib/platform/config.js';
import { setLogLevel } from '../lib/platform/observe/log.js';
import { abort, envInt, printTable, runBenchmark } from './bench/common.js';
import { mintToken } from '../gateway/auth/mintToken.js';
import { startBareApollo } from './bench/peers/apollo.js';
import { rustPlanner, startHive } from './bench/peers/hive.js';
import { load, settle, verifyBodyAgrees, type LoadFigures } from './bench/peers/load.js';
import { startOurs, type RunningPeer } from './bench/peers/ours.js';
import { startSubgraphs, type RunningSubgraphs } from './bench/peers/subgraphs.js';
import { AUTHORITY, SEEDED_SUBJECTS, workloads, type Answer, type Query, type Workload } from './bench/peers/workloads.js';

// ---------------------------------------------------------------------------------------------- settings

// Progress and whatever the services print go to stderr; stdout carries only the tables.
const table = (line = '') => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stderr.write(`[bench:peers] ${line}\n`);
console.log = console.error;
console.info = console.error;
// the services' access logs would drown the output: warnings and errors only
setLogLevel('warn');

function envList<T extends string>(name: string, allowed: readonly T[], fallback: readonly T[]): T[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) abort(`${name}: unknown ${JSON.stringify(item)} (one of ${allowed.join(', ')})`);
  return allowed.filter((a) => items.includes(a));
}

const GATEWAY_IDS = ['ours-dept', 'ours-anon', 'ours-off', 'apollo', 'hive', 'hive-dedup', 'hive-rust'] as const;
type GatewayId = (typeof GATEWAY_IDS)[number];
const LABELS: Record<GatewayId, string> = {
  'ours-dept': 'ours, policy on, department',
  'ours-anon': 'ours, policy on, anonymous',
  'ours-off': "ours, policy 'off-for-benchmark'",
  apollo: '@apollo/gateway, bare',
  hive: 'Hive Gateway, dedup off',
  'hive-dedup': 'Hive Gateway, dedup on (default)',
  'hive-rust': 'Hive Gateway, Rust planner',
};
const BASELINE: GatewayId = 'ours-dept';
const WORKLOAD_IDS = ['W1', 'W2', 'W3'] as const;

// ------------------------------------------------------------------------------------------------ gateways

interface Gateway extends RunningPeer {
  id: GatewayId;
  /** Request headers of its caller. */
  headers: Record<string, string>;
  /** Which query of a workload it is sent. */
  variant: 'department' | 'anonymous';
  /** Ours only: whether the policy runs (it reports its decisions in extensions.policy). */
  policy?: boolean;
  /** Ours only: its query log. */
  logDb?: Database;
}

function version(name: string): string {
  try {
    return (JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

const queryOf = (w: Workload, g: Gateway): Query => (g.variant === 'anonymous' && w.anonymous ? w.anonymous : w.department);
const bodyOf = (q: Query) => JSON.stringify({ query: q.query, variables: q.variables });

/** One request of each workload to each gateway, its answer checked in full: nothing is measured unless all are right. */
async function preflight(gateways: Gateway[], list: Workload[]): Promise<void> {
  for (const w of list) {
    for (const g of gateways) {
      const what = `${w.id} on ${g.id}`;
      const response = await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json', ...g.headers }, body: bodyOf(queryOf(w, g)) });
      const text = await response.text();
      if (response.status < 200 || response.status > 299) abort(`${what}: HTTP ${response.status}: ${text.slice(0, 600)}`);
      let answer: Answer;
      try {
        answer = JSON.parse(text) as Answer;
      } catch {
        return abort(`${what}: the answer is not JSON: ${text.slice(0, 300)}`);
      }
      try {
        w.check(answer, g.variant);
      } catch (error) {
        abort(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (g.policy !== undefined && (answer.extensions?.policy !== undefined) !== g.policy) {
        abort(`${what}: extensions.policy ${g.policy ? 'missing: the policy did not run' : 'present: the policy is not off'}`);
      }
      if (!(await verifyBodyAgrees(text))) abort(`${what}: the client's body check (bench/peers/verifyBody.cjs) refuses a right answer: ${text.slice(0, 300)}`);
      progress(`${what}: ok (${text.length} bytes)`);
    }
  }
}

// -------------------------------------------------------------------------------------------------- stats

interface Cell {
  workload: Workload;
  connections: number;
  runs: Map<GatewayId, LoadFigures[]>;
  /** Rows credit_checks grew by from the start of each measured run until its requests in flight were done. */
  recorded: Map<GatewayId, number>;
}
interface Summary {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
function summarise(runs: LoadFigures[]): Summary {
  return {
    rps: sum(runs.map((r) => r.requests)) / sum(runs.map((r) => r.seconds)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    requests: sum(runs.map((r) => r.requests)),
    non2xx: sum(runs.map((r) => r.non2xx)),
    errors: sum(runs.map((r) => r.errors)),
    timeouts: sum(runs.map((r) => r.timeouts)),
    mismatches: sum(runs.map((r) => r.mismatches)),
  };
}

// --------------------------------------------------------------------------------------------------- run

async function main(): Promise<void> {
  const began = performance.now();
  const WARMUP = envInt('BENCH_PEERS_WARMUP', 3, 0);
  const SECONDS = envInt('BENCH_PEERS_SECONDS', 10, 1);
  const ROUNDS = envInt('BENCH_PEERS_ROUNDS', 1, 1);
  const TIMEOUT = 30;
  const only = envList('BENCH_PEERS_ONLY', GATEWAY_IDS, GATEWAY_IDS);
  const chosenWorkloads = envList('BENCH_PEERS_WORKLOADS', WORKLOAD_IDS, WORKLOAD_IDS);
  const rawConnections = process.env.BENCH_PEERS_CONNECTIONS?.trim() || '10,50';
  const CONNECTIONS = rawConnections.split(',').map((c) => Number(c.trim()));
  if (CONNECTIONS.some((c) => !Number.isInteger(c) || c < 1))
    abort(`BENCH_PEERS_CONNECTIONS must list whole numbers of at least 1, got ${JSON.stringify(rawConnections)}`);
  const list = workloads().filter((w) => chosenWorkloads.includes(w.id));

  /** Known to every gateway of the comparison, as a deployment's GATEWAY_PROOF_SECRET is to its gateway and subgraphs. */
  const proofSecret = randomBytes(32).toString('base64url');
  // Raised for the bench, not as deployed (each is reported with the tables):
  //  - one client sends tens of thousands of requests: the callers' rates (department 6,000/min, anonymous 120/min),
  //    the anonymous pool of 4 requests in flight, and the person lookups a caller without a department token may make;
  //  - the anonymous caller's list size (20) and cost budget (1,000), so that it may send W2 (50 codes) and the public
  //    variant of W3 (100 codes) at all: to the department's (1,000 items, 200,000).
  const raised = {
    anonymous: { rate: 1_000_000, inFlight: 0, listSize: 1_000, cost: 200_000 },
    department: { rate: 1_000_000 },
  };
  const config = readConfig({
    GATEWAY_PORT: '0',
    LISTINGS_PORT: '0',
    ENFORCEMENT_PORT: '0',
    REPAIR_PORT: '0',
    SEED: 'true',
    GATEWAY_PROOF_SECRET: proofSecret,
    CALLER_LIMITS: JSON.stringify(raised),
    PERSON_LOOKUPS_PER_REQUEST: '1000000',
    PERSON_LOOKUPS_PER_MINUTE: '1000000',
  });
  const supergraphSdl = readFileSync(config.supergraphFile, 'utf8');

  // the department caller: ours-dept's token, and the caller the other gateways sign their proofs for
  const scopes = ['credit:read', 'credit:read:personal', 'credit:read:secret', 'check:run'];
  const purpose = 'ADMINISTRATIVE_APPROVAL';
  const clientId = 'bench-peers';
  const token = await mintToken({ caller: 'department', department: AUTHORITY, scopes, purposes: [purpose], clientId, ttlSeconds: 24 * 3600 });
  const department = { authorization: `Bearer ${token}`, 'x-credit-purpose': purpose };
  const caller: Caller = {
    kind: 'department',
    tokenId: 'bench-peers',
    clientId,
    principal: clientId,
    department: AUTHORITY,
    region: null,
    scopes: new Set(scopes),
    allowedPurposes: new Set([purpose]),
    purpose,
  };
  const keys = proofKeys(proofSecret);

  let subgraphs: RunningSubgraphs | undefined;
  const gateways: Gateway[] = [];
  const skipped: string[] = [];
  try {
    progress('starting the subgraphs (in-memory PGlite, seeding)...');
    let t = performance.now();
    subgraphs = await startSubgraphs(config, proofSecret);
    progress(`subgraphs up in ${((performance.now() - t) / 1000).toFixed(1)} s: ${Object.values(subgraphs.urls).join(', ')}`);
    if (subgraphs.seededSubjects !== SEEDED_SUBJECTS) abort(`${subgraphs.seededSubjects} subjects seeded, expected ${SEEDED_SUBJECTS}`);
    const urls = subgraphs.urls;
    const peer = { supergraphSdl, subgraphUrls: urls, keys, caller, host: config.host };

    for (const id of only) {
      t = performance.now();
      let g: Gateway | undefined;
      switch (id) {
        case 'ours-dept':
          g = { id, ...(await startOurs(config, proofSecret, urls)), headers: department, variant: 'department', policy: true };
          break;
        case 'ours-anon':
          g = { id, ...(await startOurs(config, proofSecret, urls)), headers: {}, variant: 'anonymous', policy: true };
          break;
        case 'ours-off':
          g = { id, ...(await startOurs(config, proofSecret, urls, 'off-for-benchmark')), headers: department, variant: 'department', policy: false };
          break;
        case 'apollo':
          g = { id, ...(await startBareApollo(peer)), headers: department, variant: 'department' };
          break;
        case 'hive':
          g = { id, ...(await startHive({ ...peer, dedupe: false })), headers: department, variant: 'department' };
          break;
        case 'hive-dedup':
          g = { id, ...(await startHive({ ...peer, dedupe: true })), headers: department, variant: 'department' };
          break;
        case 'hive-rust': {
          const planner = await rustPlanner();
          if ('reason' in planner) {
            skipped.push(`${LABELS[id]}: skipped, ${planner.reason}`);
            progress(`${id}: skipped, ${planner.reason}`);
            break;
          }
          const hive = await startHive({ ...peer, dedupe: true, unifiedGraphHandler: planner.handler });
          g = { id, ...hive, notes: [...hive.notes, 'unifiedGraphHandler from @graphql-hive/router-runtime'], headers: department, variant: 'department' };
          break;
        }
      }
      if (!g) continue;
      gateways.push(g);
      progress(`${id} (${LABELS[id]}) up at ${g.url} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    if (gateways.length === 0) abort('no gateway to measure');

    progress('checking every answer once before measuring...');
    await preflight(gateways, list);

    const cells: Cell[] = list.flatMap((workload) =>
      CONNECTIONS.map((connections) => ({ workload, connections, runs: new Map<GatewayId, LoadFigures[]>(), recorded: new Map<GatewayId, number>() })),
    );
    const perCell = WARMUP + SECONDS;
    progress(
      `measuring: ${ROUNDS} round(s) × ${cells.length} cells × ${gateways.length} gateways × (${WARMUP} s warm-up + ${SECONDS} s) ≈ ${Math.ceil((ROUNDS * cells.length * gateways.length * perCell) / 60)} min`,
    );
    const enforcementDb = subgraphs.databases.enforcement;
    const recordedChecks = async () => (await enforcementDb.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_checks'))[0]!.n;
    const settleWaits: number[] = [];
    /** Before every run: the requests left in flight by the one before (abandoned by the client, not by the servers) have finished. */
    const quiet = async (next: GatewayId) => {
      const { waitedMs, settled } = await settle();
      if (!settled) progress(`  still busy after ${(waitedMs / 1000).toFixed(0)} s; starting ${next} anyway`);
      else if (waitedMs > 1_000) progress(`  waited ${(waitedMs / 1000).toFixed(1)} s for the previous run's requests in flight to finish`);
      settleWaits.push(waitedMs);
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [c, cell] of cells.entries()) {
        const shift = (round + c) % gateways.length;
        const order = [...gateways.slice(shift), ...gateways.slice(0, shift)];
        for (const g of order) {
          const base = { url: g.url, headers: g.headers, body: bodyOf(queryOf(cell.workload, g)), connections: cell.connections, timeoutSeconds: TIMEOUT };
          if (WARMUP > 0) {
            await quiet(g.id);
            const warm = await load({ ...base, seconds: WARMUP });
            const bad = warm.non2xx + warm.errors + warm.mismatches;
            if (bad > 0) progress(`  warm-up ${g.id}: ${warm.non2xx} non-2xx, ${warm.errors} errors, ${warm.mismatches} mismatches`);
          }
          await quiet(g.id);
          const counting = cell.workload.recordsPerAnswer !== undefined && queryOf(cell.workload, g) === cell.workload.department;
          const before = counting ? await recordedChecks() : 0;
          const figures = await load({ ...base, seconds: SECONDS });
          cell.runs.set(g.id, [...(cell.runs.get(g.id) ?? []), figures]);
          if (counting) {
            await quiet(g.id);
            cell.recorded.set(g.id, (cell.recorded.get(g.id) ?? 0) + (await recordedChecks()) - before);
          }
          const bad = figures.non2xx + figures.errors + figures.mismatches;
          progress(
            `round ${round + 1} ${cell.workload.id} c=${cell.connections} ${g.id.padEnd(10)} ${figures.rps.toFixed(1).padStart(8)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms` +
              (bad > 0 ? `  (${figures.non2xx} non-2xx, ${figures.errors} errors, ${figures.mismatches} mismatches)` : ''),
          );
        }
      }
    }

    // ------------------------------------------------------------------------------------------- tables
    const cpus = os.cpus();
    table('credit-graph: our gateway against other federation gateways, same supergraph, same subgraphs');
    table(
      `node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${os.platform()} ${os.arch()}, load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    table(
      `@apollo/gateway ${version('@apollo/gateway')}, @apollo/server ${version('@apollo/server')}, @graphql-hive/gateway-runtime ${version('@graphql-hive/gateway-runtime')}, autocannon ${version('autocannon')}`,
    );
    table(
      `one process: the three subgraphs (in-memory PGlite, ${SEEDED_SUBJECTS} seeded subjects) and every gateway; the client (autocannon) in a worker thread`,
    );
    table(
      `per cell: ${WARMUP} s warm-up, then ${SECONDS} s measured, per gateway in turn (order rotated per cell and round), ${ROUNDS} round(s); client timeout ${TIMEOUT} s`,
    );
    table(
      `before every warm-up and measured run, the bench waits until this process is idle (event loop under 10% busy for 0.5 s): the requests the previous ` +
        `run left in flight finish first (longest wait ${(Math.max(0, ...settleWaits) / 1000).toFixed(1)} s); answers still in flight when a run ends are not counted`,
    );
    table(`RPS = answers / seconds over all rounds; p50, p99 = latency in ms (median over rounds); ratio = RPS / RPS of "${LABELS[BASELINE]}"`);
    table(
      'every request of a run is the same request: a gateway that shares identical subgraph fetches in flight (ours, per caller: gateway/pipeline/shareFetches.ts; ' +
        "Hive with deduplication on) does the subgraphs' work once for several requests; bare Apollo and Hive with deduplication off do it for each",
    );
    table("ours with the policy 'off-for-benchmark' identifies no caller: the subgraphs see the anonymous caller's proof (W3 verdicts rest on public entries)");
    table(`non-2xx, errors (connection errors and timeouts), mismatches (2xx answers without data or with errors) are counted on every answer`);
    table();
    table("raised for the bench (not as deployed): callers' rates (department, anonymous: 1,000,000/min), anonymous requests in flight (no bound),");
    table('  anonymous list size 20 → 1,000 and cost budget 1,000 → 200,000 (W2 and W3 send 50 and 100 codes), person lookups without a department token');
    table();
    for (const g of gateways) table(`${LABELS[g.id]}: ${g.url}${g.notes.length ? ` — ${g.notes.join('; ')}` : ''}`);
    for (const s of skipped) table(s);
    for (const w of list)
      if (w.anonymous && gateways.some((g) => g.variant === 'anonymous')) table(`${w.id}, ${LABELS['ours-anon']}: ${w.anonymous.why} (marked *)`);

    for (const cell of cells) {
      table();
      table(`${cell.workload.title}, ${cell.connections} connections`);
      table();
      const perAnswer = cell.workload.recordsPerAnswer;
      const base = cell.runs.get(BASELINE);
      const baseRps = base ? summarise(base).rps : undefined;
      printTable(
        [
          ['gateway', 'RPS', 'p50 ms', 'p99 ms', `ratio`, 'answers', 'non-2xx', 'errors', 'mismatches', ...(perAnswer ? ['checks recorded/answered'] : [])],
          ...gateways.map((g) => {
            const s = summarise(cell.runs.get(g.id) ?? []);
            const marked = (g.variant === 'anonymous' && cell.workload.anonymous ? ' *' : '') + (s.requests < 2 * cell.connections * ROUNDS ? ' !' : '');
            const recorded = cell.recorded.get(g.id);
            return [
              `${LABELS[g.id]}${marked}`,
              s.rps.toFixed(1),
              String(s.p50),
              String(s.p99),
              baseRps ? (s.rps / baseRps).toFixed(2) : 'n/a',
              String(s.requests),
              String(s.non2xx),
              String(s.errors),
              String(s.mismatches),
              ...(perAnswer ? [recorded === undefined || s.requests === 0 ? '—' : (recorded / (s.requests * perAnswer)).toFixed(2)] : []),
            ];
          }),
        ],
        table,
      );
    }

    table();
    for (const g of gateways) {
      if (!g.logDb) continue;
      const [row] = await g.logDb.query<{ n: number }>('SELECT count(*)::int AS n FROM query_log');
      table(`query log of ${LABELS[g.id]}: ${row?.n ?? 0} records appended`);
    }
    if (cells.some((cell) => gateways.some((g) => summarise(cell.runs.get(g.id) ?? []).requests < 2 * cell.connections * ROUNDS))) {
      table('! fewer than 2 answers per connection and round: the run was short for this latency (BENCH_PEERS_SECONDS), the figures are not telling');
    }
    if (cells.some((cell) => cell.recorded.size > 0)) {
      table(
        'checks recorded/answered: rows credit_checks grew by during the run (until its requests in flight were done) / (answers × 100); at least 1 when every check ' +
          'answered was recorded (above 1: checks of requests abandoned at the end of the run); below 1: identical checks in flight were deduplicated, answered without a record',
      );
    }
    const trouble = cells.flatMap((cell) =>
      gateways.map((g) => ({ g, s: summarise(cell.runs.get(g.id) ?? []), cell })).filter(({ s }) => s.non2xx + s.errors + s.mismatches > 0),
    );
    table(
      trouble.length === 0
        ? 'no non-2xx answers, errors or mismatches in any measured run'
        : `${trouble.length} measured cell(s) had non-2xx answers, errors or mismatches (see the tables)`,
    );
    table(`total ${((performance.now() - began) / 1000).toFixed(1)} s`);
  } finally {
    progress('stopping...');
    // the last run's requests in flight finish first: a gateway stopped under them would call subgraphs already stopped
    if (gateways.length > 0) await settle({ maxMs: 60_000 });
    for (const g of gateways.reverse()) await g.stop().catch((e: unknown) => progress(`stopping ${g.id}: ${String(e)}`));
    await subgraphs?.stop();
  }
}

await runBenchmark('bench:peers', main);
