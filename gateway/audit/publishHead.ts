import type { QueryLog } from './queryLog.js';
import { logOf } from '../../lib/platform/observe/log.js';
import { queryLogHead } from '../../lib/platform/observe/metrics.js';

const log = logOf('gateway');

/** How often a running gateway states the query log's head. */
export const QUERY_LOG_HEAD_EVERY_MS = 5 * 60_000;

/**
 * A2: states the chain's head (seq and hash) as a structured log line and its seq as a metric. Collected by the operator's log system, the
 * heads it holds reveal a deleted tail that `npm run audit:verify` alone cannot (a chain cut at its end is still a chain).
 */
export async function publishHead(queryLog: QueryLog): Promise<void> {
  const head = await queryLog.head();
  queryLogHead.set(head?.seq ?? 0);
  log.info({ seq: head?.seq ?? 0, hash: head?.hash ?? null }, 'query log head');
}
