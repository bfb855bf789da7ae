/**
 * `npm run bench:observability`: what watching the system costs, as ratios against a baseline measured in the same run.
 * Three whole systems (`npm start`'s entry point, each its own process on free ports and its own PGlite, seeded) take
 * the same requests, interleaved in alternating blocks:
 *
 *   A  metrics only: LOG_LEVEL=silent, tracing off (the baseline)
 *   B  as shipped: metrics and JSON access logs, tracing off
 *   C  metrics, logs and tracing on, exporting every span by OTLP to a collector stub in this process
 *
 * and, in this process, the metric updates one request makes, timed alone, as a share of A's mean latency (metrics
 * cannot be switched off; this is what they cost). Workload: a department reads one credit file in full (W1; logged),
 * BENCH_CONCURRENCY in flight (8), BENCH_BLOCKS blocks (6) of BENCH_COUNT / BENCH_BLOCKS requests (1,200 in all).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '../gateway/auth/mintToken.js';
import { demoDataset, showcaseSubject } from '../lib/demo/dataset.js';
import { requests, requestSeconds, subgraphFetchSeconds, policyOutcomes, queryLogAppendSeconds } from '../lib/platform/observe/metrics.js';
import { killAll, npmStart, type Spawned } from '../lib/platform/process/spawnService.js';

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
  return value;
};
const CONCURRENCY = int('BENCH_CONCURRENCY', 8);
const BLOCKS = int('BENCH_BLOCKS', 6);
const PER_BLOCK = Math.ceil(int('BENCH_COUNT', 1200) / BLOCKS);
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const showcase = showcaseSubject();
const authority = demoDataset().entries.find((e) => e.subjectCode === showcase.code)!.authority;
const FILE = `query File($c: ID!) { subject(code: $c) { code name legalRepresentative { name idNumber } entries { kind status field } tasks { status } objections { status } repairs { status } } }`;

/** Receives OTLP/HTTP exports and counts them; answers as a collector would. */
async function collectorStub() {
  let exports = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      exports++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats: () => ({ exports, bytes }), close: () => server.close() };
}

interface Variant {
  name: string;
  env: Record<string, string>;
  system?: Spawned;
  ms: number[];
  elapsedMs: number;
}

async function send(url: string, headers: Record<string, string>): Promise<number> {
  const began = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: FILE, variables: { c: showcase.code } }),
  });
  const body = (await response.json()) as { data?: { subject?: { legalRepresentative?: { idNumber?: string } } }; errors?: unknown };
  if (response.status !== 200 || body.errors || body.data?.subject?.legalRepresentative?.idNumber !== showcase.legalRepresentative!.idNumber) {
    throw new Error(`unexpected answer (HTTP ${response.status}): ${JSON.stringify(body).slice(0, 300)}`);
  }
  return performance.now() - began;
}

async function block(variant: Variant, n: number, headers: Record<string, string>): Promise<void> {
  let left = n;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) variant.ms.push(await send(variant.system!.url, headers));
    }),
  );
  variant.elapsedMs += performance.now() - began;
}

/** The metric updates of one department request (the gateway's and three subgraph fetches), timed alone. */
function metricsMicroseconds(): number {
  const labels = { service: 'gateway', operation: 'File', caller_kind: 'department', outcome: 'OK' };
  const once = () => {
    requests.inc(labels);
    requestSeconds.observe(labels, 0.004);
    for (const subgraph of ['listings', 'enforcement', 'repair']) {
      subgraphFetchSeconds.observe({ subgraph, outcome: 'ok' }, 0.001);
      const sub = { ...labels, service: subgraph, operation: `File__${subgraph}__0` };
      requests.inc(sub);
      requestSeconds.observe(sub, 0.001);
    }
    policyOutcomes.inc({ outcome: 'masked', caller_kind: 'department' });
    queryLogAppendSeconds.observe(0.001);
  };
  for (let i = 0; i < 20_000; i++) once();
  const n = 200_000;
  const began = performance.now();
  for (let i = 0; i < n; i++) once();
  return ((performance.now() - began) * 1000) / n;
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const collector = await collectorStub();
  const limits = JSON.stringify({ department: { rate: 1_000_000, inFlight: 0 } });
  const variants: Variant[] = [
    { name: 'A metrics only', env: { LOG_LEVEL: 'silent' }, ms: [], elapsedMs: 0 },
    { name: 'B + JSON logs', env: { LOG_LEVEL: 'info' }, ms: [], elapsedMs: 0 },
    { name: 'C + tracing', env: { LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url }, ms: [], elapsedMs: 0 },
  ];
  const dirs: string[] = [];
  try {
    for (const variant of variants) {
      const dir = await mkdtemp(join(tmpdir(), 'credit-graph-bench-'));
      dirs.push(dir);
      progress(`starting ${variant.name}...`);
      variant.system = await npmStart({ DATA_DIR: dir, CALLER_LIMITS: limits, ...variant.env });
    }
    const token = await mintToken({
      caller: 'department',
      department: authority,
      scopes: ['credit:read', 'credit:read:personal'],
      purposes: ['ADMINISTRATIVE_APPROVAL'],
    });
    const headers = { authorization: `Bearer ${token}`, 'x-credit-purpose': 'ADMINISTRATIVE_APPROVAL' };
    progress('warming up...');
    for (const variant of variants) {
      await block(variant, 100, headers);
      variant.ms.length = 0;
      variant.elapsedMs = 0;
    }
    for (let b = 0; b < BLOCKS; b++) {
      progress(`block ${b + 1} of ${BLOCKS}`);
      const order = b % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) await block(variant, PER_BLOCK, headers);
    }
    const microseconds = metricsMicroseconds();
    const [a] = variants;
    const rps = (v: Variant) => (v.ms.length * 1000) / v.elapsedMs;
    const rows = variants.map((v) => [
      v.name,
      rps(v).toFixed(0),
      `${(rps(a!) / rps(v)).toFixed(3)}x`,
      mean(v.ms).toFixed(2),
      `${(mean(v.ms) / mean(a!.ms)).toFixed(3)}x`,
      percentile(v.ms, 50).toFixed(2),
      percentile(v.ms, 99).toFixed(2),
    ]);
    const header = ['variant', 'req/s', 'cost (A/x req/s)', 'mean ms', 'mean / A', 'p50 ms', 'p99 ms'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
    console.log(`W1, a department reads one credit file in full; ${CONCURRENCY} in flight; ${BLOCKS} interleaved blocks of ${PER_BLOCK} per variant`);
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    const { exports, bytes } = collector.stats();
    console.log(`collector stub: ${exports} OTLP exports, ${(bytes / 1024).toFixed(0)} KiB received from C`);
    console.log(
      `metric updates of one request, timed alone: ${microseconds.toFixed(2)} µs = ${((microseconds / 1000 / mean(a!.ms)) * 100).toFixed(3)}% of A's mean latency`,
    );
  } finally {
    for (const variant of variants) await variant.system?.stop();
    killAll();
    collector.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  killAll();
  process.exit(1);
});
