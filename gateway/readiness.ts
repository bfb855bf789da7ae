import type { Database } from '../lib/platform/db/index.js';
import type { SubgraphName } from '../schema/files.js';

/** How long one subgraph may take to say it is ready before the gateway counts it as not. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * What the gateway's `/health/ready` checks: the query log can be written (no log, no data: a gateway that cannot
 * record a read of personal data serves none, so it is not ready), and every subgraph answers its own readiness. A
 * throw answers 503; its message names what is not ready, never an address.
 */
export function gatewayReadiness(logDb: Database, subgraphUrls: Record<SubgraphName, string>): () => Promise<Record<string, unknown>> {
  return async () => {
    const writable = await logDb
      .query<{ writable: boolean }>(
        "SELECT has_table_privilege(current_user, 'query_log', 'INSERT') AND has_table_privilege(current_user, 'query_log_subjects', 'INSERT') AS writable",
      )
      .then(([row]) => row?.writable === true)
      .catch(() => false);
    if (!writable) throw new Error('the query log cannot be written');
    const probes = await Promise.all(
      Object.entries(subgraphUrls).map(async ([name, url]) => {
        try {
          const res = await fetch(new URL('/health/ready', url), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
          return [name, res.ok] as const;
        } catch {
          return [name, false] as const;
        }
      }),
    );
    const down = probes.filter(([, ok]) => !ok).map(([name]) => name);
    if (down.length > 0) throw new Error(`not ready: ${down.join(', ')}`);
    return { queryLog: 'ok', subgraphs: Object.fromEntries(probes.map(([name]) => [name, 'ok'])) };
  };
}
