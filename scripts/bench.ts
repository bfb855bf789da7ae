/**
 * `npm run bench`: what authorisation, masking and query logging cost at the gateway, as a ratio against a
 * baseline measured in the same run. Two whole systems start in this process on free ports, each on its own
 * in-memory PGlite, seeded with the same demonstration data:
 *
 *   A  the gateway as deployed (token verification, row rules, masking, query log)
 *   B  the same gateway built with `policy: 'off-for-benchmark'` (none of those)
 *
 * Every workload sends the same requests to A and B, interleaved in alternating blocks (order flipped every
 * block) so that drift (JIT, GC, PGlite cache warming, other load on the machine) affects both equally.
 * Every response is checked while measuring; a wrong answer aborts the run before any number is printed.
 * The table goes to stdout; progress (and anything the services log) goes to stderr.
 *
 * Environment: BENCH_COUNT (sequential requests per workload and system, default 300), BENCH_BLOCKS (10),
 * BENCH_WARMUP (30), BENCH_CONCURRENCY (8), BENCH_CONCURRENT_COUNT (requests per system in the throughput
 * run, default 160; 0 skips it). DATABASE_URL and REDIS_URL are deliberately ignored.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { readConfig } from '../lib/platform/config.js';
import { demoDataset, showcaseSubject } from '../lib/demo/dataset.js';
import { mintToken } from '../gateway/auth/mintToken.js';
import { tasksFor } from '../subgraphs/enforcement/inbound.js';
import { benchCreditChecks } from './bench/creditCheck.js';
import { startSystem, type RunningSystem } from './system.js';
import { setLogLevel } from '../lib/platform/observe/log.js';
import { FILE_FIELDS, abort, envInt, printTable, runBenchmark } from './bench/common.js';

// ---------------------------------------------------------------------------------------------- settings

const BLOCKS = envInt('BENCH_BLOCKS', 10, 1);
const COUNT = Math.ceil(envInt('BENCH_COUNT', 300, 1) / BLOCKS) * BLOCKS;
const PER_BLOCK = COUNT / BLOCKS;
const WARMUP = envInt('BENCH_WARMUP', 30, 0);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 8, 1);
const CONCURRENT_BLOCKS = 4;
const CONCURRENT_COUNT = Math.ceil(envInt('BENCH_CONCURRENT_COUNT', 160, 0) / CONCURRENT_BLOCKS) * CONCURRENT_BLOCKS;

// Progress and whatever the services print go to stderr; stdout carries only the table.
const table = (line = '') => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
console.log = console.error;
console.info = console.error;
// the services' access logs would drown the table: warnings and errors only
setLogLevel('warn');

// ------------------------------------------------------------------------------------ query-log records

// The log step awaits the append before the response is sent, so after each response the count is exact.
// Only A has a log step; B must never append.
let appends = 0;
async function countRecords(systems: RunningSystem[]): Promise<void> {
  const [a, b] = systems;
  const count = async (s: RunningSystem | undefined) =>
    s ? (await s.databases.gateway.query<{ n: number }>('SELECT count(*)::int AS n FROM query_log'))[0]!.n : 0;
  if ((await count(b)) !== 0) abort('B appended query-log records: its policy is not off');
  appends = await count(a);
}

// ------------------------------------------------------------------------------------------- the workloads

const ONE_FILE = `query BenchFile($code: ID!) { subject(code: $code) { ${FILE_FIELDS} } }`;
const MANY_FILES = `query BenchFiles($codes: [ID!]!) { subjects(codes: $codes) { ${FILE_FIELDS} } }`;

type SystemName = 'A' | 'B';
interface Person {
  name: string;
  idNumber: string;
}
interface File {
  code: string;
  legalRepresentative: Person | null;
  entries: unknown[];
  tasks: unknown[];
  objections: unknown[];
  repairs: unknown[];
}
interface Body {
  data?: { subject?: File | null; subjects?: (File | null)[] } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { policy?: unknown };
}

interface Workload {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  headers: Record<string, string>;
  /** Query-log records A appends per request (one per subject whose personal data it reveals). */
  logged: number;
  /** Throws BenchAbort when the response is not what this system must answer. */
  check(system: SystemName, body: Body): void;
}

const data = demoDataset();
const showcase = showcaseSubject();
const FULL_ID = showcase.legalRepresentative!.idNumber;
// The determining authority of the showcase subject's entries: it sees the complete file (tasks, objections
// and repairs included) with every scope and a stated purpose, so masking decisions run and A logs each read.
const AUTHORITY = data.entries.find((e) => e.subjectCode === showcase.code)!.authority;
const byCode = new Map(data.subjects.map((s) => [s.code, s]));
// 50 subjects that have tasks (so every subgraph has rows to load), as test/creditFile.test.ts chooses them
const RICH = [
  ...new Set(
    data.entries
      .filter((e) => e.status !== 'NOTICE' && tasksFor({ entryId: e.id, kind: e.kind, field: e.field, region: byCode.get(e.subjectCode)!.region }).length > 0)
      .map((e) => e.subjectCode),
  ),
].slice(0, 50);

function noErrors(system: SystemName, body: Body, what: string): void {
  if (body.errors?.length) {
    abort(`${what} on ${system}: unexpected errors ${JSON.stringify(body.errors.map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`))}`);
  }
  // A reports its policy decisions in extensions.policy; B must not have run the policy at all
  const policyRan = body.extensions?.policy !== undefined;
  if (system === 'A' && !policyRan) abort(`${what} on A: no extensions.policy — the policy did not run on the enforced gateway`);
  if (system === 'B' && policyRan) abort(`${what} on B: extensions.policy present — the baseline is not running with the policy off`);
}

function checkShowcase(system: SystemName, body: Body, what: string, expect: 'full' | 'masked', complete: boolean): void {
  noErrors(system, body, what);
  const file = body.data?.subject;
  if (!file || file.code !== showcase.code) abort(`${what} on ${system}: the showcase subject ${showcase.code} is missing`);
  const id = file!.legalRepresentative?.idNumber;
  if (expect === 'full' && id !== FULL_ID) abort(`${what} on ${system}: idNumber should be the full ${FULL_ID}, got ${JSON.stringify(id)}`);
  if (expect === 'masked' && (typeof id !== 'string' || !/\*{8}/.test(id) || id === FULL_ID)) {
    abort(`${what} on ${system}: idNumber should be masked (********), got ${JSON.stringify(id)}`);
  }
  if (file!.entries.length === 0) abort(`${what} on ${system}: no entries`);
  if (complete && (file!.tasks.length === 0 || file!.objections.length === 0 || file!.repairs.length === 0)) {
    abort(
      `${what} on ${system}: the credit file is incomplete (tasks ${file!.tasks.length}, objections ${file!.objections.length}, repairs ${file!.repairs.length})`,
    );
  }
}

function workloads(department: Record<string, string>): Workload[] {
  return [
    {
      name: 'credit file, department',
      query: ONE_FILE,
      variables: { code: showcase.code },
      headers: department,
      logged: 1,
      check: (system, body) => checkShowcase(system, body, 'credit file by the department', 'full', true),
    },
    {
      name: 'credit file, anonymous',
      query: ONE_FILE,
      variables: { code: showcase.code },
      headers: {},
      logged: 0,
      // A: masked, and the row rules hide tasks, objections and repairs from the public; B: everything in full
      check: (system, body) => checkShowcase(system, body, 'credit file by an anonymous caller', system === 'A' ? 'masked' : 'full', system === 'B'),
    },
    {
      name: 'subjects(50 codes), department',
      query: MANY_FILES,
      variables: { codes: RICH },
      headers: department,
      logged: RICH.length,
      check: (system, body) => {
        const what = 'subjects(50 codes) by the department';
        noErrors(system, body, what);
        const files = body.data?.subjects;
        if (!files || files.length !== RICH.length) abort(`${what} on ${system}: expected ${RICH.length} subjects, got ${files?.length}`);
        files!.forEach((file, i) => {
          const expected = byCode.get(RICH[i]!)!;
          if (!file || file.code !== expected.code) abort(`${what} on ${system}: subject ${i} should be ${expected.code}, got ${JSON.stringify(file?.code)}`);
          if (file!.entries.length === 0) abort(`${what} on ${system}: subject ${expected.code} has no entries`);
          const id = file!.legalRepresentative?.idNumber ?? null;
          const want = expected.legalRepresentative?.idNumber ?? null;
          if (id !== want) abort(`${what} on ${system}: ${expected.code}'s idNumber should be ${want} in full, got ${JSON.stringify(id)}`);
        });
      },
    },
  ];
}

// ------------------------------------------------------------------------------------------------ requests

interface Target {
  name: SystemName;
  url: string;
}
interface Tally {
  /** Query-log records A must have appended so far. */
  expectedAppends: number;
}

async function send(target: Target, w: Workload, tally: Tally): Promise<{ ms: number; bytes: number }> {
  const began = performance.now();
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...w.headers },
    body: JSON.stringify({ query: w.query, variables: w.variables }),
  });
  const text = await response.text();
  const ms = performance.now() - began;
  if (response.status !== 200) abort(`${w.name} on ${target.name}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  let body: Body;
  try {
    body = JSON.parse(text) as Body;
  } catch {
    return abort(`${w.name} on ${target.name}: the response is not JSON: ${text.slice(0, 500)}`);
  }
  w.check(target.name, body);
  if (target.name === 'A') tally.expectedAppends += w.logged;
  return { ms, bytes: Buffer.byteLength(text) };
}

async function checkAppends(systems: RunningSystem[], tally: Tally, where: string): Promise<void> {
  await countRecords(systems);
  if (appends !== tally.expectedAppends) {
    abort(`${where}: the query log holds ${appends} appended records, expected ${tally.expectedAppends} (one per subject a department read on A, none on B)`);
  }
}

async function sequential(target: Target, w: Workload, n: number, tally: Tally, into?: { ms: number[]; bytes: number[] }): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await send(target, w, tally);
    into?.ms.push(r.ms);
    into?.bytes.push(r.bytes);
  }
}

/** `n` requests with `concurrency` in flight; returns the elapsed milliseconds. */
async function concurrent(target: Target, w: Workload, n: number, concurrency: number, tally: Tally): Promise<number> {
  let next = 0;
  const began = performance.now();
  const worker = async () => {
    while (next < n) {
      next++;
      await send(target, w, tally);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return performance.now() - began;
}

// -------------------------------------------------------------------------------------------------- stats

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
interface Stats {
  mean: number;
  p50: number;
  p95: number;
  bytes: number;
}
const stats = (s: { ms: number[]; bytes: number[] }): Stats => ({
  mean: mean(s.ms),
  p50: percentile(s.ms, 50),
  p95: percentile(s.ms, 95),
  bytes: mean(s.bytes),
});

// --------------------------------------------------------------------------------------------------- run

/** Known to the bench, so it can call the enforcement subgraph directly as the gateway would. */
const PROOF_SECRET = randomBytes(32).toString('base64url');

async function startOne(label: string, policy?: 'off-for-benchmark'): Promise<RunningSystem> {
  // an env of our own: free ports, seeded, and no DATABASE_URL / REDIS_URL (embedded PGlite, in-process limiter)
  // what the policy costs, not what the limits allow: one client sends thousands of requests, so its rates are raised
  const config = readConfig({
    GATEWAY_PORT: '0',
    LISTINGS_PORT: '0',
    ENFORCEMENT_PORT: '0',
    REPAIR_PORT: '0',
    SEED: 'true',
    GATEWAY_PROOF_SECRET: PROOF_SECRET,
    // the cost of the policy on every executed request: kept answers (npm run bench:cache) would skip it for some
    ANSWER_CACHE_TTL_MS: '0',
    CALLER_LIMITS: JSON.stringify({ anonymous: { rate: 1_000_000, inFlight: 0 }, department: { rate: 1_000_000 } }),
  });
  const unique = (prefix: string) => `bench_${prefix}_${randomBytes(5).toString('hex')}`;
  const databaseNames = { listings: unique('listings'), enforcement: unique('enforcement'), repair: unique('repair'), gateway: unique('gateway') };
  const began = performance.now();
  const system = await startSystem({ config, databaseNames, inMemory: true, ...(policy ? { policy } : {}) });
  progress(`${label} up at ${system.gatewayUrl} in ${((performance.now() - began) / 1000).toFixed(1)} s (${system.seededSubjects} subjects seeded)`);
  if (system.seededSubjects !== data.subjects.length) abort(`${label}: ${system.seededSubjects} subjects seeded, expected ${data.subjects.length}`);
  return system;
}

const fmt = (ms: number) => ms.toFixed(2);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

async function main(): Promise<void> {
  const began = performance.now();
  if (RICH.length < 50) abort(`the demonstration data has only ${RICH.length} subjects with tasks, 50 needed`);
  const systems: RunningSystem[] = [];
  try {
    progress('starting A (policy enforced)...');
    const a = await startOne('A (policy enforced)');
    systems.push(a);
    progress("starting B (policy 'off-for-benchmark')...");
    const b = await startOne("B (policy 'off-for-benchmark')", 'off-for-benchmark');
    systems.push(b);
    const A: Target = { name: 'A', url: a.gatewayUrl };
    const B: Target = { name: 'B', url: b.gatewayUrl };

    const scopes = ['credit:read', 'credit:read:personal', 'credit:read:secret'];
    const token = await mintToken({ caller: 'department', department: AUTHORITY, scopes, purposes: ['ADMINISTRATIVE_APPROVAL'] });
    const department = { authorization: `Bearer ${token}`, 'x-credit-purpose': 'ADMINISTRATIVE_APPROVAL' };
    const tally: Tally = { expectedAppends: 0 };
    const results: { w: Workload; a: Stats; b: Stats; thrA?: number; thrB?: number }[] = [];

    for (const w of workloads(department)) {
      progress(`${w.name}: warm-up ${WARMUP} per system, then ${BLOCKS} alternating blocks of ${PER_BLOCK}`);
      await sequential(A, w, WARMUP, tally);
      await sequential(B, w, WARMUP, tally);
      await checkAppends(systems, tally, `${w.name}, warm-up`);
      const sa = { ms: [] as number[], bytes: [] as number[] };
      const sb = { ms: [] as number[], bytes: [] as number[] };
      for (let block = 0; block < BLOCKS; block++) {
        const order: [Target, typeof sa][] =
          block % 2 === 0
            ? [
                [A, sa],
                [B, sb],
              ]
            : [
                [B, sb],
                [A, sa],
              ];
        for (const [target, into] of order) await sequential(target, w, PER_BLOCK, tally, into);
        await checkAppends(systems, tally, `${w.name}, block ${block + 1}`);
      }
      const result: (typeof results)[number] = { w, a: stats(sa), b: stats(sb) };
      progress(`${w.name}: A mean ${fmt(result.a.mean)} ms, B mean ${fmt(result.b.mean)} ms (${ratio(result.a.mean, result.b.mean)})`);

      if (CONCURRENT_COUNT > 0) {
        const per = CONCURRENT_COUNT / CONCURRENT_BLOCKS;
        let msA = 0;
        let msB = 0;
        for (let block = 0; block < CONCURRENT_BLOCKS; block++) {
          if (block % 2 === 0) {
            msA += await concurrent(A, w, per, CONCURRENCY, tally);
            msB += await concurrent(B, w, per, CONCURRENCY, tally);
          } else {
            msB += await concurrent(B, w, per, CONCURRENCY, tally);
            msA += await concurrent(A, w, per, CONCURRENCY, tally);
          }
          await checkAppends(systems, tally, `${w.name}, concurrent block ${block + 1}`);
        }
        result.thrA = (CONCURRENT_COUNT / msA) * 1000;
        result.thrB = (CONCURRENT_COUNT / msB) * 1000;
        progress(`${w.name}: concurrency ${CONCURRENCY}: A ${result.thrA.toFixed(1)} req/s, B ${result.thrB.toFixed(1)} req/s`);
      }
      results.push(result);
    }

    // ------------------------------------------------------------------------------------------- table
    const cpus = os.cpus();
    table(`credit-graph gateway: cost of authorisation, masking and query logging`);
    table(`A = policy enforced (token verification, row rules, masking, query log); B = same gateway, policy 'off-for-benchmark'`);
    table(`machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${os.platform()} ${os.arch()}`);
    table(`both systems and the client in this one process, embedded PGlite in memory, the same seeded data (${data.subjects.length} subjects)`);
    table(
      `sequential: ${COUNT} requests per workload and system after ${WARMUP} warm-up, A and B interleaved in ${BLOCKS} alternating blocks of ${PER_BLOCK} ` +
        `(order flipped every block) so drift (JIT, GC, PGlite cache warming, other load) affects both equally`,
    );
    table(`latency in ms, client-measured (request sent to response body read); ratio A/B > 1 = the policy's cost`);
    table();
    const rows: string[][] = [
      ['workload', 'A mean', 'A p50', 'A p95', 'B mean', 'B p50', 'B p95', 'A/B mean', 'A/B p50', 'bytes A', 'bytes B'],
      ...results.map(({ w, a: ra, b: rb }) => [
        w.name,
        fmt(ra.mean),
        fmt(ra.p50),
        fmt(ra.p95),
        fmt(rb.mean),
        fmt(rb.p50),
        fmt(rb.p95),
        ratio(ra.mean, rb.mean),
        ratio(ra.p50, rb.p50),
        String(Math.round(ra.bytes)),
        String(Math.round(rb.bytes)),
      ]),
    ];
    printTable(rows, table);
    if (CONCURRENT_COUNT > 0) {
      table();
      table(
        `throughput at concurrency ${CONCURRENCY}: ${CONCURRENT_COUNT} requests per workload and system, in ${CONCURRENT_BLOCKS} alternating blocks; B/A > 1 = the policy's cost`,
      );
      table();
      printTable(
        [['workload', 'A req/s', 'B req/s', 'B/A'], ...results.map(({ w, thrA, thrB }) => [w.name, thrA!.toFixed(1), thrB!.toFixed(1), ratio(thrB!, thrA!)])],
        table,
      );
    }
    table();
    table(`checked on every response: no errors, extensions.policy on A only, the showcase idNumber masked (/\\*{8}/) for the`);
    table(
      `anonymous caller on A and in full on B and for the department; ${appends} query-log records appended on A (one per subject a department read), none on B.`,
    );
    table(`A's row rules hide rows B returns (anonymous: tasks/objections/repairs; 50 codes: other departments' tasks), hence the byte columns.`);

    progress('credit checks: through the gateway against straight to the enforcement subgraph (on A)...');
    const checks = await benchCreditChecks(systems[0]!, PROOF_SECRET, { single: envInt('BENCH_CHECKS', 200, 4), batch: envInt('BENCH_BATCHES', 20, 4) });
    table();
    table('E4 credit checks on A: the same query through the gateway (token, policy, plan, mask) and straight to the enforcement');
    table("subgraph (with the gateway's proof), sequential, interleaved in 4 alternating blocks; every answer checked");
    table();
    printTable(
      [
        ['workload', 'gateway ms', 'direct ms', 'gateway req/s', 'direct req/s', 'gateway/direct'],
        ...checks.map((c) => [
          c.workload,
          fmt(c.gateway.mean),
          fmt(c.direct.mean),
          c.gateway.perSecond.toFixed(1),
          c.direct.perSecond.toFixed(1),
          ratio(c.gateway.mean, c.direct.mean),
        ]),
      ],
      table,
    );
    table();
    table(`total ${((performance.now() - began) / 1000).toFixed(1)} s`);
  } finally {
    progress('stopping both systems...');
    for (const system of systems.reverse()) await system.stop();
  }
}

await runBenchmark('bench', main);
