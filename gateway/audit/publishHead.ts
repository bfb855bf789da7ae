import type { QueryLog } from './queryLog.js';

/** How often a running gateway states the query log's head. */
export const QUERY_LOG_HEAD_EVERY_MS = 5 * 60_000;

/**
 * A2: states the chain's head (seq and hash) as a structured log line. Collected by the operator's log system, the
 * heads it holds reveal a deleted tail that `npm run audit:verify` alone cannot (a chain cut at its end is still a chain).
 */
export async function publishHead(log: QueryLog): Promise<void> {
  const head = await log.head();
  console.log(JSON.stringify({ msg: 'query log head', seq: head?.seq ?? 0, hash: head?.hash ?? null, at: new Date().toISOString() }));
}
