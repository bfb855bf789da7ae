/**
 * `npm run bench:querylog`: how many query-log records per second PostgreSQL takes, one transaction per call
 * (`groupCommit: false`, the old way) against group commit (gateway/audit/queryLog.ts), for 1 process × 1, 8 and 32
 * concurrent appenders and 4 processes × 32. Every process is a child of this one (this script with `--child`); all of
 * a run's processes start together and append one record per call for the run's duration. Each run has a fresh schema,
 * dropped afterwards; after each, the chain must verify and hold exactly the records acknowledged, with their hashes,
 * or the benchmark stops. Old and new alternate cell by cell. Progress on stderr, the table on stdout.
 *
 * Environment: DATABASE_URL (required), QUERYLOG_BENCH_SECONDS (5 per run), QUERYLOG_BENCH_ROUNDS (1; the median is shown).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dropPostgresSchema, openDatabase } from '../lib/platform/db/index.js';
import { QueryLog } from '../gateway/audit/queryLog.js';
import type { QueryRecord } from '../gateway/audit/record.js';

const DATABASE_URL = process.env.DATABASE_URL;
const SECONDS = Number(process.env.QUERYLOG_BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.QUERYLOG_BENCH_ROUNDS ?? 1);
const CELLS = [
  { processes: 1, appenders: 1 },
  { processes: 1, appenders: 8 },
  { processes: 1, appenders: 32 },
  { processes: 4, appenders: 32 },
];
const progress = (line: string) => process.stderr.write(`[bench:querylog] ${line}\n`);

/** What a child reports: the records it had acknowledged (`seq hash` lines), how long it appended, how many transactions. */
interface ChildResult {
  acknowledged: Map<number, string>;
  ms: number;
  batches: number;
}

const record = (appender: number): QueryRecord => ({
  at: new Date(),
  tokenId: `bench-${appender}`,
  clientId: 'bench-querylog',
  callerKind: 'DEPARTMENT',
  department: 'MOF',
  purpose: 'benchmark',
  operationHash: 'b'.repeat(64),
  subjects: [`91320583MA${String(appender).padStart(8, '0')}`],
  fields: ['Person.idNumber'],
  policyVersion: 'bench',
});

/** A child: opens the schema, says `ready`, waits for `go` on stdin, appends for SECONDS, then prints what it appended. */
async function child(url: string, schema: string, appenders: number, groupCommit: boolean): Promise<void> {
  const db = await openDatabase({ url, name: schema });
  const log = new QueryLog(db, { groupCommit });
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const began = performance.now();
  const end = began + SECONDS * 1000;
  const lines: string[] = [];
  await Promise.all(
    Array.from({ length: appenders }, async (_, appender) => {
      while (performance.now() < end) {
        const stored = await log.append(record(appender));
        lines.push(`${stored.seq} ${stored.hash}`);
      }
    }),
  );
  const ms = performance.now() - began;
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify({ ms, batches: log.batches })}\n`);
  await db.close();
}

function spawnChild(schema: string, appenders: number, groupCommit: boolean) {
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', schema, String(appenders), String(groupCommit)], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let readyResolve!: () => void;
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) readyResolve();
  });
  const result = new Promise<ChildResult>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (code) => {
      if (code !== 0) return reject(new Error(`an appending process failed (exit ${code})`));
      const lines = out.trim().split('\n').slice(1);
      const { ms, batches } = JSON.parse(lines.pop()!) as { ms: number; batches: number };
      const acknowledged = new Map<number, string>();
      for (const line of lines) {
        const [seq, hash] = line.split(' ');
        if (acknowledged.has(Number(seq))) return reject(new Error(`seq ${seq} acknowledged twice`));
        acknowledged.set(Number(seq), hash!);
      }
      resolve({ acknowledged, ms, batches });
    });
  });
  return { ready: Promise.race([ready, result.then(() => undefined)]), go: () => proc.stdin.end('go\n'), result };
}

/** One run on a fresh schema: records per second and records per transaction, after checking the log. */
async function run(url: string, processes: number, appenders: number, groupCommit: boolean): Promise<{ rate: number; perTx: number }> {
  const schema = `bench_querylog_${randomBytes(4).toString('hex')}`;
  const db = await openDatabase({ url, name: schema });
  try {
    const log = new QueryLog(db);
    await log.migrate();
    const children = Array.from({ length: processes }, () => spawnChild(schema, appenders, groupCommit));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    const results = await Promise.all(children.map((c) => c.result));
    const acknowledged = new Map<number, string>();
    for (const r of results) for (const [seq, hash] of r.acknowledged) acknowledged.set(seq, hash);
    const verified = await log.verify();
    if (!verified.ok) throw new Error(`the chain is broken at seq ${verified.brokenAt}: ${verified.reason}`);
    if (verified.records !== acknowledged.size) throw new Error(`${acknowledged.size} records acknowledged, ${verified.records} in the log`);
    const stored = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM query_log');
    for (const row of stored) if (acknowledged.get(row.seq) !== row.hash) throw new Error(`seq ${row.seq} in the log is not the record acknowledged`);
    const seconds = Math.max(...results.map((r) => r.ms)) / 1000;
    return { rate: acknowledged.size / seconds, perTx: acknowledged.size / results.reduce((n, r) => n + r.batches, 0) };
  } finally {
    await db.close();
    await dropPostgresSchema(url, schema);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(url: string): Promise<void> {
  const rows: string[][] = [];
  for (const [i, { processes, appenders }] of CELLS.entries()) {
    const old: number[] = [];
    const now: number[] = [];
    const perTx: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // alternate which goes first, so neither always runs on a warmer server
      for (const groupCommit of (i + round) % 2 === 0 ? [false, true] : [true, false]) {
        progress(`${processes} process(es) × ${appenders} appender(s), ${groupCommit ? 'group commit' : 'one transaction per call'}, ${SECONDS} s...`);
        const r = await run(url, processes, appenders, groupCommit);
        progress(`  ${Math.round(r.rate)} records/s, ${r.perTx.toFixed(1)} records per transaction; chain verified, every record present`);
        (groupCommit ? now : old).push(r.rate);
        if (groupCommit) perTx.push(r.perTx);
      }
    }
    rows.push([
      `${processes} × ${appenders}`,
      String(Math.round(median(old))),
      String(Math.round(median(now))),
      `${(median(now) / median(old)).toFixed(2)}×`,
      median(perTx).toFixed(1),
    ]);
  }
  const header = ['processes × appenders', 'old records/s', 'new records/s', 'new/old', 'new records/tx'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    process.stdout.write(`${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}\n`);
  process.stdout.write(`query log appends, one record per call, ${SECONDS} s per run, median of ${ROUNDS} round(s); old = groupCommit: false\n`);
  line(header);
  for (const row of rows) line(row);
}

if (!DATABASE_URL) {
  process.stderr.write('bench:querylog needs a PostgreSQL server: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)\n');
  process.exit(2);
}
if (process.argv[2] === '--child') {
  const [, , , schema, appenders, groupCommit] = process.argv;
  await child(DATABASE_URL, schema!, Number(appenders), groupCommit === 'true');
} else {
  await main(DATABASE_URL).catch((error: unknown) => {
    progress(`aborted: ${(error as Error).message}`);
    process.exit(1);
  });
}
