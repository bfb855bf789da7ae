/**
 * `npm run bench:scale`: whether reading stays as fast when the lists grow. The bench creates a PostgreSQL database of
 * its own (dropped at the end) and, for each size — 10,000, 1,000,000 and 10,000,000 list entries by default — starts
 * the whole system in this process on schemas of that size's own (migrated by the subgraphs' own migrations, seeded
 * with the demonstration data), then bulk-loads the list entries up to the size: generated inside PostgreSQL (INSERT ...
 * SELECT generate_series, scripts/bench/scale/generate.ts), with their subjects and the enforcement subgraph's
 * projection of the entries in force (what listings' events would have built; credit checks read it), then VACUUM
 * ANALYZE. It measures through each system's gateway over HTTP, one request at a time:
 *
 *   (a) the credit file of one random generated subject (subject, entries, tasks, objections, repairs);
 *   (b) a credit check of 1,000 codes (creditChecks), half random generated subjects and half valid codes never
 *       registered, with the entries each verdict rests on.
 *
 * The sizes are measured side by side, in alternating blocks (the order rotated every block), as `npm run bench` does
 * its A and B: this machine is shared, and whatever else runs on it then slows every size alike instead of whichever
 * size was being measured. Every answer is checked against the generator (the subject's entries, one verdict per
 * code, CLEAR for the unregistered). The table gives p50/p99 per size and p99 against the smallest size's. The
 * statements the services run by themselves (not for a request: the listings subgraph's time-driven transitions scan
 * its entries every minute) are watched, and those of 200 ms or more listed, with p99 again without the requests that
 * ran alongside one of them — what a request costs apart from what else the machine was doing. Then, at
 * the largest size, EXPLAIN (ANALYZE, BUFFERS) of the statements the subgraphs ran for one request of each kind —
 * captured as they were sent, text and parameters — with the indexes they use and any sequential scan. Progress
 * goes to stderr, the results to stdout.
 *
 * Environment:
 *   BENCH_SCALE_SIZES     list entries of each size, ascending (default 10000,1000000,10000000); the demonstration
 *                         data's entries count towards them
 *   BENCH_SCALE_FILES     credit-file requests per size (default 1000), after BENCH_SCALE_FILE_WARMUP (50)
 *   BENCH_SCALE_CHECKS    1,000-code checks per size (default 200), after BENCH_SCALE_CHECK_WARMUP (10)
 *   BENCH_SCALE_BLOCKS    alternating blocks the requests are measured in (default 10)
 *   BENCH_SCALE_BATCH     entries per load transaction (default 250000)
 *   BENCH_SCALE_SERVER    a database on the PostgreSQL server to use (default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_SCALE_DATABASE  the bench's database, created on that server (default credit_graph_scale; dropped if it exists)
 *   BENCH_SCALE_KEEP=1    keep the database at the end; BENCH_SCALE_REUSE=1 start from the one kept (loads only what is missing)
 *   BENCH_SCALE_SEED      seed of the random choice of subjects and codes (default 20171225)
 * DATABASE_URL and REDIS_URL are ignored: the bench never touches the databases other tests use.
 */
import os from 'node:os';
import pg from 'pg';
import { readConfig } from '../lib/platform/config.js';
import { demoDataset } from '../lib/demo/dataset.js';
import { setLogLevel } from '../lib/platform/observe/log.js';
import type { SubgraphName } from '../schema/files.js';
import { startSystem, type RunningSystem } from './system.js';
import { GENERATED_CODE, subjectsFor } from './bench/scale/generate.js';
import { census, createDatabase, databaseUrl, dropDatabase, grow, openLoader, vacuumAnalyse, verify } from './bench/scale/load.js';
import { abbreviate, describeParams, distinct, explain, oneLine, type Plan } from './bench/scale/plans.js';
import { BenchAbort, envInt, printTable, runBenchmark } from './bench/common.js';
import { BackgroundWatch, CHECK_CODES, Client, callers, type Sample } from './bench/scale/workloads.js';

// ---------------------------------------------------------------------------------------------- settings

function envSizes(): number[] {
  const raw = process.env.BENCH_SCALE_SIZES || '10000,1000000,10000000';
  const sizes = raw.split(',').map((s) => Number(s.trim().replaceAll('_', '')));
  if (sizes.some((s) => !Number.isInteger(s) || s < 1) || sizes.some((s, i) => i > 0 && s <= sizes[i - 1]!)) {
    console.error(`BENCH_SCALE_SIZES must list whole numbers in ascending order, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return sizes;
}
const flag = (name: string) => ['1', 'true', 'yes'].includes((process.env[name] ?? '').toLowerCase());

const SIZES = envSizes();
const FILES = envInt('BENCH_SCALE_FILES', 1000, 1);
const FILE_WARMUP = envInt('BENCH_SCALE_FILE_WARMUP', 50, 0);
const CHECKS = envInt('BENCH_SCALE_CHECKS', 200, 1);
const CHECK_WARMUP = envInt('BENCH_SCALE_CHECK_WARMUP', 10, 0);
const BLOCKS = envInt('BENCH_SCALE_BLOCKS', 10, 1);
const BATCH = envInt('BENCH_SCALE_BATCH', 250_000, 1000);
const SEED = envInt('BENCH_SCALE_SEED', 20171225, 0);
const SERVER = process.env.BENCH_SCALE_SERVER || 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = process.env.BENCH_SCALE_DATABASE || 'credit_graph_scale';
const KEEP = flag('BENCH_SCALE_KEEP');
const REUSE = flag('BENCH_SCALE_REUSE');
const DEMO = demoDataset();
/** A statement a service runs by itself this long or longer counts as one requests may have waited behind (ms). */
const BACKGROUND_MS = 200;
/** "Flat": p99 at every size within this factor of the smallest size's. */
const FLAT = 1.5;

// Progress and whatever the services print go to stderr; stdout carries only the results.
const out = (line = '') => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stderr.write(`[bench:scale] ${line}\n`);
console.log = console.error;
console.info = console.error;
setLogLevel('warn');

// -------------------------------------------------------------------------------------------------- stats

function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const range = (xs: readonly number[]) => {
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  return lo === hi ? String(lo) : `${lo}-${hi}`;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const count = (n: number) => n.toLocaleString('en-US');

interface Measured {
  p50: number;
  p99: number;
  /** Statements per request, per subgraph (min-max). */
  statements: Record<string, string>;
}
function measured(samples: readonly Sample[]): Measured {
  const ms = samples.map((s) => s.ms);
  return {
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    statements: Object.fromEntries((['listings', 'enforcement', 'repair'] as const).map((n) => [n, range(samples.map((s) => s.statements[n]))])),
  };
}

/** One size: its own system, on schemas of its own, and what was measured there. */
interface Size {
  size: number;
  names: Record<SubgraphName | 'gateway', string>;
  system: RunningSystem;
  client: Client;
  seeded: number;
  generated: number;
  loadMs: number;
  vacuumMs: number;
  inForce: number;
  bytes: number;
  files: Sample[];
  checks: Sample[];
  restricted: number;
}

// --------------------------------------------------------------------------------------------------- run

/** A system of its own for `size`, on schemas named after it, seeded with the demonstration data. */
async function startFor(url: string, size: number): Promise<{ system: RunningSystem; names: Size['names'] }> {
  const names = { listings: `listings_${size}`, enforcement: `enforcement_${size}`, repair: `repair_${size}`, gateway: `gateway_${size}` };
  // free ports, seeded, on the bench's database; the one client sends thousands of requests, so its rate is raised
  const config = readConfig({
    GATEWAY_PORT: '0',
    LISTINGS_PORT: '0',
    ENFORCEMENT_PORT: '0',
    REPAIR_PORT: '0',
    SEED: 'true',
    DATABASE_URL: url,
    CALLER_LIMITS: JSON.stringify({ department: { rate: 1_000_000 } }),
  });
  const began = performance.now();
  const system = await startSystem({ config, databaseNames: names });
  progress(`size ${count(size)}: system up at ${system.gatewayUrl} in ${seconds(performance.now() - began)} (schemas ${names.listings}, ...)`);
  return { system, names };
}

/** Brings `size` to its number of entries: loads what is missing, VACUUM ANALYZE, checks it against the generator. */
async function load(loader: pg.Client, size: Size): Promise<void> {
  const schemas = size.names;
  const { seeded, generated } = await census(loader, schemas);
  const target = size.size - seeded;
  if (target < 1) throw new BenchAbort(`size ${count(size.size)} is not more than the ${seeded} demonstration entries`);
  if (generated > target) throw new BenchAbort(`size ${count(size.size)}: the reused database holds more (${count(seeded + generated)}); drop it`);
  size.seeded = seeded;
  if (generated < target) {
    progress(
      `size ${count(size.size)}: ${count(seeded)} demonstration entries; generating entries ${count(generated + 1)}..${count(target)} in batches of ${count(BATCH)}`,
    );
    const began = performance.now();
    await grow(loader, schemas, generated, target, BATCH, (p) =>
      progress(
        `  ${count(p.generated)} / ${count(p.target)} generated entries, ${count(p.subjects)} subjects, ${seconds(p.ms)} (${count(Math.round(((p.generated - generated) / p.ms) * 1000))} entries/s)`,
      ),
    );
    size.loadMs = performance.now() - began;
  }
  size.generated = target;
  progress('  VACUUM ANALYZE...');
  const began = performance.now();
  await vacuumAnalyse(loader, schemas);
  size.vacuumMs = performance.now() - began;
  progress(`  loaded in ${seconds(size.loadMs)}, vacuumed in ${seconds(size.vacuumMs)}; checking it against the generator...`);
  await verify(loader, schemas, seeded, target);
  const { rows } = await loader.query<{ in_force: number; bytes: string }>(
    `SELECT (SELECT count(*)::int FROM ${schemas.enforcement}.entries_in_force) AS in_force, pg_total_relation_size('${schemas.listings}.list_entries') AS bytes`,
  );
  size.inForce = rows[0]!.in_force;
  size.bytes = Number(rows[0]!.bytes);
}

/**
 * `perSize` requests of one kind at every size, in BLOCKS blocks: each block sends its share to every size in turn,
 * the order rotated from block to block, so that drift (other load on the machine, caches, JIT) meets every size alike.
 */
async function interleaved(sizes: Size[], what: string, perSize: number, send: (size: Size) => Promise<Sample>, into: (size: Size) => Sample[]): Promise<void> {
  const perBlock = Math.ceil(perSize / BLOCKS);
  for (let block = 0; block < BLOCKS; block++) {
    const began = performance.now();
    for (let k = 0; k < sizes.length; k++) {
      const size = sizes[(block + k) % sizes.length]!;
      const n = Math.min(perBlock, perSize - block * perBlock);
      for (let i = 0; i < n; i++) into(size).push(await send(size));
    }
    progress(`  ${what}: block ${block + 1} of ${BLOCKS} in ${seconds(performance.now() - began)}`);
  }
}

async function main(): Promise<void> {
  const began = performance.now();
  const clash = DEMO.subjects.find((s) => GENERATED_CODE.test(s.code));
  if (clash) throw new BenchAbort(`the demonstration subject ${clash.code} has a code of the generator's pattern`);

  const kept = await createDatabase(SERVER, DATABASE, REUSE);
  const url = databaseUrl(SERVER, DATABASE);
  progress(`${kept ? 'reusing' : 'created'} database ${DATABASE} (${url})`);
  const sizes: Size[] = [];
  const background = new BackgroundWatch(BACKGROUND_MS);
  let loader: pg.Client | undefined;
  let plans: { file: Plan[]; check: Plan[] } | undefined;
  try {
    const headers = await callers();
    for (const size of SIZES) {
      const { system, names } = await startFor(url, size);
      background.watch(system, count(size));
      sizes.push({
        size,
        names,
        system,
        client: new Client(system, headers, SEED),
        seeded: 0,
        generated: 0,
        loadMs: 0,
        vacuumMs: 0,
        inForce: 0,
        bytes: 0,
        files: [],
        checks: [],
        restricted: 0,
      });
    }
    loader = await openLoader(url);
    for (const size of sizes) await load(loader, size);
    progress(`loaded every size in ${seconds(performance.now() - began)}`);

    progress(`warm-up: ${FILE_WARMUP} credit files and ${CHECK_WARMUP} checks at every size...`);
    for (const size of sizes) {
      for (let i = 0; i < FILE_WARMUP; i++) await size.client.file(size.generated);
      for (let i = 0; i < CHECK_WARMUP; i++) await size.client.check(size.generated);
    }
    progress(`credit files: ${count(FILES)} at every size, in ${BLOCKS} alternating blocks...`);
    await interleaved(
      sizes,
      'credit files',
      FILES,
      (size) => size.client.file(size.generated),
      (size) => size.files,
    );
    progress(`${CHECK_CODES}-code checks: ${count(CHECKS)} at every size, in ${BLOCKS} alternating blocks...`);
    await interleaved(
      sizes,
      'checks',
      CHECKS,
      async (size) => {
        const c = await size.client.check(size.generated);
        size.restricted += c.restricted;
        return c;
      },
      (size) => size.checks,
    );

    progress('capturing the statements of one request of each kind at the largest size, and explaining them...');
    const largest = sizes[sizes.length - 1]!;
    const fileStatements = await largest.client.capture(() => largest.client.file(largest.generated));
    const checkStatements = await largest.client.capture(() => largest.client.check(largest.generated));
    const schemaOf = (subgraph: SubgraphName) => largest.names[subgraph];
    plans = { file: await explain(url, distinct(fileStatements), schemaOf), check: await explain(url, distinct(checkStatements), schemaOf) };
  } finally {
    progress('stopping the systems...');
    for (const size of sizes.reverse()) await size.system.stop();
    sizes.reverse();
    await loader?.end();
    if (KEEP) progress(`keeping database ${DATABASE} (BENCH_SCALE_KEEP)`);
    else {
      progress(`dropping database ${DATABASE}...`);
      await dropDatabase(SERVER, DATABASE);
    }
  }
  report(sizes, background, plans, performance.now() - began);
}

// ------------------------------------------------------------------------------------------------- report

/** Tables the bench grows: a sequential scan on one of them is what must not be on the hot path. */
const SCALED = new Set(['subjects', 'list_entries', 'entries_in_force']);

function report(sizes: Size[], background: BackgroundWatch, plans: { file: Plan[]; check: Plan[] } | undefined, totalMs: number): void {
  const cpus = os.cpus();
  out('credit-graph at scale: p99 latency of a credit file and of a 1,000-code credit check as the list entries grow');
  out(
    `machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GB, node ${process.version}; load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  out(`PostgreSQL database ${DATABASE} on ${new URL(SERVER).host}; each size a whole system of its own in this process, on schemas of its own`);
  out(
    `per size: ${count(FILES)} credit files (after ${FILE_WARMUP} warm-up) of random generated subjects; ${count(CHECKS)} checks of ${count(CHECK_CODES)} codes (after ${CHECK_WARMUP}), half random generated subjects and half unregistered codes`,
  );
  out(`requests through the gateway over HTTP, one at a time, the sizes interleaved in ${BLOCKS} alternating blocks per workload`);
  out('latency in ms, client-measured (request sent to response body read); ratio = p99 / p99 at the smallest size');
  out();
  const [base] = sizes;
  if (!base) return;
  const m = (s: Size) => ({ file: measured(s.files), check: measured(s.checks) });
  const results = sizes.map((s) => ({ s, ...m(s) }));
  const b = results[0]!;
  const ratio = (x: number, y: number) => `${(x / y).toFixed(2)}x`;
  printTable(
    [
      ['list entries', 'subjects', 'in force', 'table+idx', 'load', 'vacuum', 'file p50', 'file p99', 'file ratio', 'check p50', 'check p99', 'check ratio'],
      ...results.map(({ s, file, check }) => [
        count(s.size),
        count(subjectsFor(s.generated) + DEMO.subjects.length),
        count(s.inForce),
        `${(s.bytes / 2 ** 20).toFixed(0)} MB`,
        seconds(s.loadMs),
        seconds(s.vacuumMs),
        file.p50.toFixed(1),
        file.p99.toFixed(1),
        ratio(file.p99, b.file.p99),
        check.p50.toFixed(1),
        check.p99.toFixed(1),
        ratio(check.p99, b.check.p99),
      ]),
    ],
    out,
  );
  out();
  out('statements per request (listings / enforcement / repair):');
  for (const { s, file, check } of results) {
    const st = (x: Measured) => `${x.statements.listings} / ${x.statements.enforcement} / ${x.statements.repair}`;
    out(
      `  ${count(s.size).padStart(12)}: credit file ${st(file)}; check ${st(check)} (${(s.restricted / CHECKS).toFixed(0)} of ${CHECK_CODES} codes restricted on average)`,
    );
  }
  out();
  const worst = (pick: (r: (typeof results)[number]) => number) => Math.max(...results.map((r) => pick(r) / pick(b)));
  const fileWorst = worst((r) => r.file.p99);
  const checkWorst = worst((r) => r.check.p99);
  out(
    `flat within ${FLAT}x of the smallest size: credit file ${fileWorst <= FLAT ? 'yes' : 'NO'} (worst ${fileWorst.toFixed(2)}x), credit check ${checkWorst <= FLAT ? 'yes' : 'NO'} (worst ${checkWorst.toFixed(2)}x)`,
  );

  // what the services ran by themselves while the requests were measured, and the requests that ran alongside it
  const samples = sizes.flatMap((s) => [...s.files, ...s.checks]);
  const from = Math.min(...samples.map((x) => x.began));
  const to = Math.max(...samples.map((x) => x.ended));
  const slow = background.slow.filter((x) => x.began < to && from < x.ended);
  out();
  out(`statements the services ran by themselves (not for a request) taking ${BACKGROUND_MS} ms or more while the requests were measured:`);
  const groups = new Map<string, { system: string; subgraph: string; sql: string; ms: number[] }>();
  for (const x of slow) {
    const key = `${x.system}|${x.subgraph}|${x.sql}`;
    const group = groups.get(key) ?? { system: x.system, subgraph: x.subgraph, sql: x.sql, ms: [] };
    group.ms.push(x.ended - x.began);
    groups.set(key, group);
  }
  if (groups.size === 0) out('  none');
  for (const g of groups.values()) {
    out(`  ${g.system} entries, ${g.subgraph}: ${g.ms.length} times, up to ${(Math.max(...g.ms) / 1000).toFixed(2)} s: ${oneLine(g.sql).slice(0, 140)}`);
  }
  if (groups.size > 0) {
    const quiet = results.map(({ s }) => {
      const files = s.files.filter((x) => !background.overlaps(x));
      const checks = s.checks.filter((x) => !background.overlaps(x));
      return {
        s,
        files: files.length,
        checks: checks.length,
        file: percentile(
          files.map((x) => x.ms),
          99,
        ),
        check: percentile(
          checks.map((x) => x.ms),
          99,
        ),
      };
    });
    const q = quiet[0]!;
    out();
    out('the same requests without those that ran alongside one of these statements (on any system: they share the machine):');
    out();
    printTable(
      [
        ['list entries', 'files', 'file p99', 'file ratio', 'checks', 'check p99', 'check ratio'],
        ...quiet.map((r) => [
          count(r.s.size),
          count(r.files),
          r.file.toFixed(1),
          ratio(r.file, q.file),
          count(r.checks),
          r.check.toFixed(1),
          ratio(r.check, q.check),
        ]),
      ],
      out,
    );
    const fileQuiet = Math.max(...quiet.map((r) => r.file / q.file));
    const checkQuiet = Math.max(...quiet.map((r) => r.check / q.check));
    out();
    out(
      `flat within ${FLAT}x, without them: credit file ${fileQuiet <= FLAT ? 'yes' : 'NO'} (worst ${fileQuiet.toFixed(2)}x), credit check ${checkQuiet <= FLAT ? 'yes' : 'NO'} (worst ${checkQuiet.toFixed(2)}x)`,
    );
  }

  if (plans) {
    const largest = sizes[sizes.length - 1]!;
    out();
    out(`plans at ${count(largest.size)} list entries: EXPLAIN (ANALYZE, BUFFERS) of each statement one request ran, as the subgraph sent it`);
    const hot: Plan[] = [];
    const section = (title: string, list: Plan[]) => {
      for (const [i, plan] of list.entries()) {
        const { subgraph, sql, params } = plan.statement;
        out();
        out(`--- ${title}, ${subgraph} statement ${i + 1} of ${list.length}`);
        out(`    ${oneLine(sql)}`);
        out(`    ${describeParams(params)}`);
        for (const line of plan.lines) out(`    | ${abbreviate(line)}`);
        const scaled = plan.seqScans.filter((t) => SCALED.has(t));
        out(`    indexes: ${plan.indexes.join(', ') || 'none'}; sequential scans: ${plan.seqScans.length === 0 ? 'none' : plan.seqScans.join(', ')}`);
        if (scaled.length > 0) hot.push(plan);
      }
    };
    section('credit file', plans.file);
    section(`${count(CHECK_CODES)}-code check`, plans.check);
    out();
    out(
      hot.length === 0
        ? `no sequential scan of a table the bench grows (${[...SCALED].join(', ')}) in any plan above`
        : `SEQUENTIAL SCANS of grown tables: ${hot.map((p) => `${p.statement.subgraph}: ${oneLine(p.statement.sql).slice(0, 80)}`).join('; ')}`,
    );
  }
  out();
  out(`total ${seconds(totalMs)}`);
}

await runBenchmark('bench:scale', main);
