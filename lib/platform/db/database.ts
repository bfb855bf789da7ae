import { inSpan } from '../observe/tracing.js';

const VERBS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'BEGIN', 'COMMIT', 'ROLLBACK', 'CREATE', 'ALTER', 'DROP', 'LOCK', 'SET']);

function verbOf(sql: string): string {
  const verb = /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
  return VERBS.has(verb) ? verb : 'OTHER';
}

/** What the subgraphs need from a database, whichever engine runs underneath (PGlite or PostgreSQL). */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Statements sent for requests so far; tests use it to prove batching. */
  readonly statementCount: number;
  /** The same database for work a service does by itself (relays, schedulers): not in statementCount. */
  readonly background: Database;
  close(): Promise<void>;
}

/** One connection (or pool) as two views: counted for requests, uncounted for background work. */
export function counted(run: Queryable, transaction: <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>, close: () => Promise<void>): Database {
  let count = 0;
  const view = (counting: boolean, background: () => Database): Database => {
    const wrap = (q: Queryable): Queryable => ({
      query: <Row>(sql: string, params?: readonly unknown[]) => {
        if (counting) count++;
        // inside a traced request a span per statement, named by its verb: never its text or parameters
        return inSpan(`db ${verbOf(sql)}`, { 'db.system.name': 'postgresql', 'db.operation.name': verbOf(sql) }, () => q.query<Row>(sql, params));
      },
    });
    const direct = wrap(run);
    return {
      query: direct.query,
      transaction: (work) => transaction((tx) => work(wrap(tx))),
      get statementCount() {
        return count;
      },
      get background() {
        return background();
      },
      close,
    };
  };
  const quiet: Database = view(false, () => quiet);
  return view(true, () => quiet);
}
