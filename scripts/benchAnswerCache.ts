/**
 * `npm run bench:cache`: what the answer cache gains, and how long an answer can be stale.
 *
 *   1. The same credit file (entries, no personal data in full: an answer the cache may keep) asked by a department
 *      and by the public, of two whole systems started in this process: A with the cache, B without. Sequential
 *      requests in alternating blocks; the ratio B/A of mean latency.
 *   2. The staleness window: a black entry written straight to the listings subgraph (as another gateway instance
 *      would), then the gateway asked every few milliseconds until its answer shows the entry. From the write's
 *      answer to the first fresh answer, over BENCH_CACHE_TRIALS trials; and the cache's own figure, from the event's
 *      writing to its invalidation (credit_graph_answer_cache_invalidation_lag_seconds).
 *
 * With REDIS_URL set the cache and the events are in Redis (as deployed with several gateway instances); otherwise in
 * process. The table goes to stdout, progress to stderr.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { readConfig } from '../lib/platform/config.js';
import { showcaseSubject } from '../lib/demo/dataset.js';
import { creditCodeCheckChar } from '../lib/domain/identifiers/index.js';
import { ANONYMOUS, type Caller } from '../lib/contracts/caller.js';
import { PROOF_HEADER, proofKeys } from '../lib/platform/auth/gatewayProof.js';
import { mintToken } from '../gateway/auth/mintToken.js';
import { answerCacheInvalidationLag, answerCacheLookups } from '../lib/platform/observe/metrics.js';
import { setLogLevel } from '../lib/platform/observe/log.js';
import { startSystem, type RunningSystem } from './system.js';

const COUNT = Number(process.env.BENCH_CACHE_COUNT ?? 400);
const TRIALS = Number(process.env.BENCH_CACHE_TRIALS ?? 30);
const BLOCKS = 8;
const PROOF_SECRET = randomBytes(32).toString('base64url');
const ENTRIES = 'query($c: ID!) { subject(code: $c) { code name entries { id kind status field authority determinedOn validUntil } } }';

const table = (line = '') => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stderr.write(`[bench:cache] ${line}\n`);
console.log = console.error;
console.info = console.error;
setLogLevel('warn');

async function start(label: string, ttl: string): Promise<RunningSystem> {
  const unique = (name: string) => `bench_${name}_${randomBytes(4).toString('hex')}`;
  const config = readConfig({
    GATEWAY_PORT: '0',
    LISTINGS_PORT: '0',
    ENFORCEMENT_PORT: '0',
    REPAIR_PORT: '0',
    SEED: 'true',
    GATEWAY_PROOF_SECRET: PROOF_SECRET,
    ANSWER_CACHE_TTL_MS: ttl,
    CALLER_LIMITS: JSON.stringify({ anonymous: { rate: 1_000_000 }, department: { rate: 1_000_000 } }),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  });
  const databaseNames = { listings: unique('listings'), enforcement: unique('enforcement'), repair: unique('repair'), gateway: unique('gateway') };
  const system = await startSystem({ config, databaseNames, inMemory: true });
  progress(`${label} up at ${system.gatewayUrl}`);
  return system;
}

async function ask(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`unexpected answer: ${JSON.stringify(body).slice(0, 300)}`);
  return body.data;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function main(): Promise<void> {
  const a = await start('A (answer cache on)', '30000');
  const b = await start('B (answer cache off)', '0');
  const department = { authorization: `Bearer ${await mintToken({ caller: 'department', department: 'STA', scopes: ['credit:read'] })}` };
  const showcase = showcaseSubject().code;
  try {
    table(`# answer cache — ${os.cpus().length} CPUs, Node ${process.version}, store: ${process.env.REDIS_URL ? 'Redis' : 'in process'}`);
    table();
    table('| workload | A: cache on, mean ms | B: cache off, mean ms | B/A | hits in A |');
    table('| --- | --- | --- | --- | --- |');
    for (const [label, headers] of [
      ['credit file (entries), department', department],
      ['credit file (entries), public', {}],
    ] as const) {
      const times = { a: [] as number[], b: [] as number[] };
      const hitsBefore = (await answerCacheLookups.get()).values.filter((v) => v.labels.result === 'hit').reduce((s, v) => s + v.value, 0);
      for (let block = 0; block < BLOCKS; block++) {
        for (const which of block % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
          const system = which === 'a' ? a : b;
          for (let i = 0; i < COUNT / BLOCKS; i++) {
            const began = performance.now();
            await ask(system.gatewayUrl, ENTRIES, { c: showcase }, headers);
            times[which].push(performance.now() - began);
          }
        }
      }
      const hits = (await answerCacheLookups.get()).values.filter((v) => v.labels.result === 'hit').reduce((s, v) => s + v.value, 0) - hitsBefore;
      table(
        `| ${label} | ${mean(times.a).toFixed(2)} | ${mean(times.b).toFixed(2)} | ${(mean(times.b) / mean(times.a)).toFixed(2)}x | ${hits} of ${times.a.length} |`,
      );
    }

    progress(`staleness: ${TRIALS} trials`);
    const writer: Caller = {
      ...ANONYMOUS,
      kind: 'department',
      tokenId: 'bench',
      clientId: 'bench',
      principal: 'bench',
      department: 'STA',
      scopes: new Set(['listing:write', 'credit:read']),
    };
    const keys = proofKeys(PROOF_SECRET);
    const write = (query: string, variables: Record<string, unknown>) =>
      ask(a.subgraphUrls.listings, query, variables, { [PROOF_HEADER]: keys.sign(writer, { audience: 'listings', query, variables }) });
    const stale: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const first17 = `91110108MA${randomBytes(3).toString('hex').toUpperCase()}9`;
      const code = (first17 + creditCodeCheckChar(first17)).slice(0, 18);
      await write('mutation($c: ID!) { registerSubject(input: { code: $c, kind: ORGANISATION, name: "时效测试有限公司" }) { code } }', { c: code });
      // the registration's own event must be handled first, or it would end the answer kept below
      for (;;) {
        const seen = await ask(a.gatewayUrl, ENTRIES, { c: code }, department);
        const again = await ask(a.gatewayUrl, ENTRIES, { c: code }, department);
        if (seen.subject && again.subject) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      await ask(a.gatewayUrl, ENTRIES, { c: code }, department); // kept
      await write('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', {
        i: { code, kind: 'BLACK', field: 'TAX', facts: '事实', authority: 'STA', basis: '依据', determinedOn: '2026-03-02', validUntil: '2029-03-02' },
      });
      const written = performance.now();
      for (;;) {
        const seen = await ask(a.gatewayUrl, ENTRIES, { c: code }, department);
        if (seen.subject.entries.length > 0) break;
        if (performance.now() - written > 30_000) throw new Error('the black entry was not seen within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      stale.push(performance.now() - written);
    }
    const lag = (await answerCacheInvalidationLag.get()).values;
    const lagSum = lag.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
    const lagCount = lag.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
    table();
    table(`| staleness after a write past the gateway (${TRIALS} trials) | p50 ms | p90 ms | max ms |`);
    table('| --- | --- | --- | --- |');
    table(
      `| from the write's answer to the first fresh answer | ${quantile(stale, 0.5).toFixed(0)} | ${quantile(stale, 0.9).toFixed(0)} | ${Math.max(...stale).toFixed(0)} |`,
    );
    table();
    table(`event written → cache invalidated, mean over ${lagCount} events: ${((1000 * lagSum) / Math.max(1, lagCount)).toFixed(0)} ms`);
  } finally {
    await a.stop();
    await b.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
