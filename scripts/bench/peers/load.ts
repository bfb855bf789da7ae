import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/** What one autocannon run measured. */
export interface LoadFigures {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** 2xx answers whose body is not data without errors (./verifyBody.cjs). */
  mismatches: number;
}

const VERIFY_BODY = fileURLToPath(new URL('./verifyBody.cjs', import.meta.url));

/**
 * One autocannon run: `connections` kept-alive connections, each sending the same POST again as soon as its answer is
 * read, for `seconds`. The client runs in a worker thread of its own (autocannon's `workers: 1`), so that it does not
 * share the event loop of the gateways and subgraphs it measures.
 */
export async function load(options: {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  seconds: number;
  timeoutSeconds: number;
}): Promise<LoadFigures> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
    connections: options.connections,
    duration: options.seconds,
    timeout: options.timeoutSeconds,
    workers: 1,
    // in workers mode a path to a module exporting the function (autocannon's types know only the function)
    verifyBody: VERIFY_BODY as unknown as autocannon.Options['verifyBody'],
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
  };
}

/** The check ./verifyBody.cjs makes in the client's worker, for the bench to compare with its full check before measuring. */
export async function verifyBodyAgrees(body: string): Promise<boolean> {
  const { default: verify } = (await import(VERIFY_BODY)) as { default: (body: string) => boolean };
  return verify(body);
}

/**
 * Waits until this process is idle: when autocannon stops it closes its connections, but the requests they had in flight
 * go on (no gateway here abandons its subgraph fetches when the client leaves), and their work would be counted against
 * whichever gateway is measured next. Everything measured (gateways, subgraphs, PGlite) runs on this thread's event loop,
 * the client on its own: once the loop is nearly idle for two windows in a row, the previous run's work is done.
 */
export async function settle(options: { windowMs?: number; idleBelow?: number; maxMs?: number } = {}): Promise<{ waitedMs: number; settled: boolean }> {
  const { windowMs = 250, idleBelow = 0.1, maxMs = 120_000 } = options;
  const began = performance.now();
  let quiet = 0;
  while (performance.now() - began < maxMs) {
    const start = performance.eventLoopUtilization();
    await sleep(windowMs);
    quiet = performance.eventLoopUtilization(start).utilization < idleBelow ? quiet + 1 : 0;
    if (quiet >= 2) return { waitedMs: performance.now() - began, settled: true };
  }
  return { waitedMs: performance.now() - began, settled: false };
}
