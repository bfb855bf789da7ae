/** What the subgraphs need from a database, whichever engine runs underneath (PGlite or PostgreSQL). */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Statements sent so far; tests use it to prove batching. */
  readonly statementCount: number;
  close(): Promise<void>;
}

/** Counts statements for any engine, so the count means the same on both. */
export class StatementCounter {
  count = 0;
  wrap(q: Queryable): Queryable {
    return {
      query: <Row>(sql: string, params?: readonly unknown[]) => {
        this.count++;
        return q.query<Row>(sql, params);
      },
    };
  }
}
