import pg from 'pg';
import type { Statement } from './workloads.js';

export interface Plan {
  statement: Statement;
  /** EXPLAIN (ANALYZE, BUFFERS) text, one line per node. */
  lines: string[];
  /** Tables read by a sequential scan. */
  seqScans: string[];
  /** Indexes the plan reads. */
  indexes: string[];
}

/** The statements of a request, each once (the first time it was sent, with those parameters). */
export function distinct(statements: readonly Statement[]): Statement[] {
  const seen = new Map<string, Statement>();
  for (const s of statements) if (!seen.has(`${s.subgraph}\n${s.sql}`)) seen.set(`${s.subgraph}\n${s.sql}`, s);
  return [...seen.values()];
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of a statement exactly as the subgraph sent it (its text and parameters), in the
 * subgraph's schema (`schemaOf`). A statement that writes runs inside a transaction rolled back after.
 */
export async function explain(url: string, statements: readonly Statement[], schemaOf: (subgraph: Statement['subgraph']) => string): Promise<Plan[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const plans: Plan[] = [];
    for (const statement of statements) {
      await client.query(`SET search_path = ${schemaOf(statement.subgraph)}`);
      const writes = !/^\s*(SELECT|WITH)\b/i.test(statement.sql);
      if (writes) await client.query('BEGIN');
      try {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params as unknown[]);
        const lines = rows.map((r) => r['QUERY PLAN']);
        const text = lines.join('\n');
        plans.push({
          statement,
          lines,
          seqScans: [...new Set([...text.matchAll(/Seq Scan on (\S+)/g)].map((m) => m[1]!))],
          indexes: [...new Set([...text.matchAll(/(?:Index(?: Only)? Scan(?: Backward)?|Bitmap Index Scan) (?:using|on) (\S+)/g)].map((m) => m[1]!))],
        });
      } finally {
        if (writes) await client.query('ROLLBACK');
      }
    }
    return plans;
  } finally {
    await client.end();
  }
}

/** Parameters as a reader wants them: arrays by their length and first item. */
export function describeParams(params: readonly unknown[]): string {
  return params
    .map((p, i) => {
      const value = Array.isArray(p)
        ? `[${p.length} item${p.length === 1 ? '' : 's'}${p.length > 0 ? `: ${JSON.stringify(p[0])}${p.length > 1 ? ', ...' : ''}` : ''}]`
        : JSON.stringify(p);
      return `$${i + 1} = ${value}`;
    })
    .join('; ');
}

/** A plan line with its array literals (the 1,000 codes of a check) cut to their first items and their length. */
export function abbreviate(line: string): string {
  return line.replace(/'\{([^}]*)\}'/g, (literal, items: string) => {
    const all = items.split(',');
    return all.length <= 3 ? literal : `'{${all.slice(0, 2).join(',')},... ${all.length} items}'`;
  });
}

/** The statement's text on one line. */
export const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();
