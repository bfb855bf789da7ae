import { migrate, type Database } from '../../lib/platform/db/index.js';
import { GENESIS_HASH, hashRecord, type QueryRecord, type StoredRecord } from './record.js';

export const QUERY_LOG_MIGRATIONS = new URL('./migrations/', import.meta.url);

export interface AppendOptions {
  /** Give up after this many milliseconds (QueryLogTimeout); the database cancels what it was doing. */
  timeoutMs?: number;
}

export class QueryLogTimeout extends Error {}

/** Serialises appends from every gateway instance on one database (any constant unlike lib/platform/db/migrate.ts's). */
const APPEND_LOCK = 7_310_002;

/**
 * `records` counts the records checked and found intact (on failure: those before `brokenAt`).
 * A chain shows only that the log is consistent with itself: a deleted tail, or a tail rewritten with
 * recomputed hashes, leaves a shorter or different chain that is intact. Only comparing `records` and
 * `head` (or the hash at an earlier seq) with a head published earlier reveals that, so publish heads.
 */
export type VerifyResult = { ok: true; records: number; head: string | null } | { ok: false; records: number; brokenAt: number; reason: string };

interface Row {
  seq: number;
  at: Date;
  token_id: string | null;
  client_id: string | null;
  caller_kind: string;
  department: string | null;
  purpose: string | null;
  operation_hash: string;
  subjects: string[];
  fields: string[];
  policy_version: string;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'seq, at, token_id, client_id, caller_kind, department, purpose, operation_hash, subjects, fields, policy_version, prev_hash, hash';

const toStored = (r: Row): StoredRecord => ({
  seq: r.seq,
  at: r.at,
  tokenId: r.token_id,
  clientId: r.client_id,
  callerKind: r.caller_kind,
  department: r.department,
  purpose: r.purpose,
  operationHash: r.operation_hash,
  subjects: r.subjects,
  fields: r.fields,
  policyVersion: r.policy_version,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** The A2 query log: append-only, hash-chained, in the gateway's own database. */
export class QueryLog {
  private readonly pageSize: number;

  constructor(
    private readonly db: Database,
    options: { pageSize?: number } = {},
  ) {
    this.pageSize = options.pageSize ?? 1000;
  }

  async migrate(): Promise<void> {
    await migrate(this.db, QUERY_LOG_MIGRATIONS);
  }

  /** Under the lock, so concurrent appends (any instance) each link to the one committed before. */
  async append(record: QueryRecord, options: AppendOptions = {}): Promise<StoredRecord> {
    return (await this.appendAll([record], options))[0]!;
  }

  /**
   * Several records of one response, chained in order in one transaction and one statement. With `timeoutMs`, an
   * append that cannot finish in time (a locked table, a slow database) fails instead of holding the response:
   * the statements are cancelled by the database, and the caller stops waiting either way.
   */
  async appendAll(records: readonly QueryRecord[], options: AppendOptions = {}): Promise<StoredRecord[]> {
    if (records.length === 0) return [];
    for (const r of records) if (Number.isNaN(r.at.getTime())) throw new RangeError('query record has an invalid date');
    const work = this.db.transaction(async (tx) => {
      if (options.timeoutMs !== undefined) {
        const ms = Math.max(1, Math.round(options.timeoutMs));
        await tx.query(`SET LOCAL lock_timeout = ${ms}`);
        await tx.query(`SET LOCAL statement_timeout = ${ms}`);
      }
      await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
      const [last] = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM query_log ORDER BY seq DESC LIMIT 1');
      let seq = last?.seq ?? 0;
      let prevHash = last?.hash ?? GENESIS_HASH;
      const stored = records.map((record): StoredRecord => {
        const hash = hashRecord(prevHash, record);
        const row: StoredRecord = {
          ...record,
          at: new Date(record.at),
          subjects: [...record.subjects],
          fields: [...record.fields],
          seq: ++seq,
          prevHash,
          hash,
        };
        prevHash = hash;
        return row;
      });
      // arrays of arrays cannot be unnested column by column: subjects and fields travel as JSON
      await tx.query(
        `INSERT INTO query_log (${COLUMNS})
         SELECT r.seq, r.at, r.token_id, r.client_id, r.caller_kind, r.department, r.purpose, r.operation_hash,
                ARRAY(SELECT jsonb_array_elements_text(r.subjects)), ARRAY(SELECT jsonb_array_elements_text(r.fields)),
                r.policy_version, r.prev_hash, r.hash
         FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, at timestamptz, token_id text, client_id text, caller_kind text,
              department text, purpose text, operation_hash text, subjects jsonb, fields jsonb, policy_version text, prev_hash text, hash text)
         ORDER BY r.seq`,
        [
          JSON.stringify(
            stored.map((r) => ({
              seq: r.seq,
              at: r.at.toISOString(),
              token_id: r.tokenId,
              client_id: r.clientId,
              caller_kind: r.callerKind,
              department: r.department,
              purpose: r.purpose,
              operation_hash: r.operationHash,
              subjects: r.subjects,
              fields: r.fields,
              policy_version: r.policyVersion,
              prev_hash: r.prevHash,
              hash: r.hash,
            })),
          ),
        ],
      );
      return stored;
    });
    if (options.timeoutMs === undefined) return work;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new QueryLogTimeout(`the query log did not append within ${options.timeoutMs} ms`)), options.timeoutMs);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
      work.catch(() => undefined); // settled later, or never: nobody waits for it any more
    }
  }

  /** Who read this subject, newest first. */
  async forSubject(code: string, limit = 100): Promise<StoredRecord[]> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM query_log WHERE subjects @> ARRAY[$1::text] ORDER BY seq DESC LIMIT $2`, [code, limit]);
    return rows.map(toStored);
  }

  /** The newest `limit` records of each subject, for many subjects in one statement (the credit-file batch). */
  async forSubjects(codes: readonly string[], limit = 100): Promise<Map<string, StoredRecord[]>> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM query_log WHERE subjects && $1::text[] ORDER BY seq DESC`, [codes]);
    const bySubject = new Map<string, StoredRecord[]>(codes.map((c) => [c, []]));
    for (const record of rows.map(toStored)) {
      for (const code of record.subjects) {
        const list = bySubject.get(code);
        if (list && list.length < limit) list.push(record);
      }
    }
    return bySubject;
  }

  /** The records appended at or after `since`, in seq order, a page at a time (the export for a log system). */
  async *recordsSince(since: Date): AsyncGenerator<StoredRecord> {
    let after = 0;
    for (;;) {
      const rows: Row[] = await this.db.query<Row>(`SELECT ${COLUMNS} FROM query_log WHERE seq > $1 AND at >= $2 ORDER BY seq LIMIT $3`, [
        after,
        since,
        this.pageSize,
      ]);
      for (const row of rows) yield toStored(row);
      if (rows.length < this.pageSize) return;
      after = rows[rows.length - 1]!.seq;
    }
  }

  /** The chain's head: the last record's seq and hash (null when empty). Published elsewhere, it shows a deleted tail. */
  async head(): Promise<{ seq: number; hash: string } | null> {
    const [row] = await this.db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM query_log ORDER BY seq DESC LIMIT 1');
    return row ? { seq: Number(row.seq), hash: row.hash } : null;
  }

  /** Walks the whole chain in seq order, a page at a time, and stops at the first broken link. */
  async verify(): Promise<VerifyResult> {
    let records = 0;
    let prevHash = GENESIS_HASH;
    // The lowest bigint, so a row a superuser put below seq 1 is seen too.
    let after: number | string = '-9223372036854775808';
    for (;;) {
      const rows: Row[] = await this.db.query<Row>(`SELECT ${COLUMNS} FROM query_log WHERE seq > $1 ORDER BY seq LIMIT $2`, [after, this.pageSize]);
      for (const row of rows) {
        const broken = (reason: string): VerifyResult => ({ ok: false, records, brokenAt: row.seq, reason });
        const expected = records + 1;
        if (row.seq !== expected) return broken(`expected seq ${expected}, found ${row.seq}: records deleted, inserted or renumbered`);
        if (row.prev_hash !== prevHash) {
          return broken(`prev_hash does not match the hash of ${expected === 1 ? 'the genesis' : `seq ${expected - 1}`}`);
        }
        if (hashRecord(row.prev_hash, toStored(row)) !== row.hash) return broken('hash does not match the record: its contents were changed');
        records = expected;
        prevHash = row.hash;
        after = row.seq;
      }
      if (rows.length < this.pageSize) return { ok: true, records, head: records === 0 ? null : prevHash };
    }
  }
}
