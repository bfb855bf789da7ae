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

/** The most records one append transaction takes; a call's records are never split, so a larger call goes alone. */
const MAX_BATCH = 500;

/** One waiting `appendAll`: its records, its own timeout, and how to answer it. */
interface Call {
  records: readonly QueryRecord[];
  timeoutMs: number | undefined;
  resolve: (stored: StoredRecord[]) => void;
  reject: (error: unknown) => void;
}

/**
 * The A2 query log: append-only, hash-chained, in the gateway's own database.
 *
 * Group commit (the default): concurrent appends queue, and one flusher at a time writes the queue, up to MAX_BATCH
 * records, in ONE transaction under the chain's lock, so the lock is taken once per batch rather than once per call.
 * Each caller is answered only after that transaction commits (A2: a read is logged before its data is sent). A batch
 * that fails fails every call in it, and none of it is written. `{ groupCommit: false }`: one transaction per call.
 */
export class QueryLog {
  private readonly pageSize: number;
  private readonly groupCommit: boolean;
  private readonly queue: Call[] = [];
  private flushing = false;
  private transactions = 0;

  constructor(
    private readonly db: Database,
    options: { pageSize?: number; groupCommit?: boolean } = {},
  ) {
    this.pageSize = options.pageSize ?? 1000;
    this.groupCommit = options.groupCommit ?? true;
  }

  /** Append transactions begun so far, committed or not: with group commit, fewer than the calls. */
  get batches(): number {
    return this.transactions;
  }

  async migrate(): Promise<void> {
    await migrate(this.db, QUERY_LOG_MIGRATIONS);
  }

  /** Under the lock, so concurrent appends (any instance) each link to the one committed before. */
  async append(record: QueryRecord, options: AppendOptions = {}): Promise<StoredRecord> {
    return (await this.appendAll([record], options))[0]!;
  }

  /**
   * Several records of one response, chained in order and consecutively, and durable when this resolves (A2: the
   * caller sends the data next). With `timeoutMs`, an append that cannot finish in time (a locked table, a slow
   * database) fails instead of holding the response: a call still queued leaves the queue, a running transaction is
   * cancelled by the database (its timeouts are the smallest of its batch), and the caller stops waiting either way.
   */
  async appendAll(records: readonly QueryRecord[], options: AppendOptions = {}): Promise<StoredRecord[]> {
    if (records.length === 0) return [];
    for (const r of records) if (Number.isNaN(r.at.getTime())) throw new RangeError('query record has an invalid date');
    const { timeoutMs } = options;
    let call: Call | undefined;
    const work = this.groupCommit
      ? new Promise<StoredRecord[]>((resolve, reject) => this.enqueue((call = { records, timeoutMs, resolve, reject })))
      : this.commit([records], timeoutMs).then(([stored]) => stored!);
    if (timeoutMs === undefined) return work;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const queued = call ? this.queue.indexOf(call) : -1;
        if (queued >= 0) this.queue.splice(queued, 1); // not written at all: its data is withheld
        reject(new QueryLogTimeout(`the query log did not append within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
      work.catch(() => undefined); // settled later, or never: nobody waits for it any more
    }
  }

  private enqueue(call: Call): void {
    this.queue.push(call);
    if (this.flushing) return; // the running flusher takes it with its next batch
    this.flushing = true;
    queueMicrotask(() => void this.flush()); // calls made in the same turn share the first batch
  }

  /** The one flusher: batch after batch, in queue order, until the queue is empty. */
  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      let taken = 1;
      let size = this.queue[0]!.records.length;
      while (taken < this.queue.length && size + this.queue[taken]!.records.length <= MAX_BATCH) size += this.queue[taken++]!.records.length;
      const batch = this.queue.splice(0, taken);
      const timeouts = batch.flatMap((c) => (c.timeoutMs === undefined ? [] : [c.timeoutMs]));
      try {
        const stored = await this.commit(
          batch.map((c) => c.records),
          timeouts.length > 0 ? Math.min(...timeouts) : undefined,
        );
        // A2: only after COMMIT is a caller told; it sends the data next, so its records must be durable first
        batch.forEach((c, i) => c.resolve(stored[i]!));
      } catch (error) {
        for (const c of batch) c.reject(error); // rolled back: nothing of the batch is in the log
      }
    }
    this.flushing = false;
  }

  /**
   * One transaction for the records of several calls: under the lock, read the head, chain them all in order (each
   * call's records consecutively), insert them and their subjects in one statement. Resolves after COMMIT.
   */
  private async commit(calls: readonly (readonly QueryRecord[])[], timeoutMs: number | undefined): Promise<StoredRecord[][]> {
    this.transactions++;
    return this.db.transaction(async (tx) => {
      if (timeoutMs !== undefined) {
        const ms = String(Math.max(1, Math.round(timeoutMs)));
        await tx.query("SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $1, true)", [ms]);
      }
      await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
      const [last] = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM query_log ORDER BY seq DESC LIMIT 1');
      let seq = last?.seq ?? 0;
      let prevHash = last?.hash ?? GENESIS_HASH;
      const stored = calls.map((records) =>
        records.map((record): StoredRecord => {
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
        }),
      );
      // arrays of arrays cannot be unnested column by column: subjects and fields travel as JSON
      await tx.query(
        `WITH r AS (
           SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, at timestamptz, token_id text, client_id text, caller_kind text,
                department text, purpose text, operation_hash text, subjects jsonb, fields jsonb, policy_version text, prev_hash text, hash text)
         ), logged AS (
           INSERT INTO query_log (${COLUMNS})
           SELECT r.seq, r.at, r.token_id, r.client_id, r.caller_kind, r.department, r.purpose, r.operation_hash,
                  ARRAY(SELECT jsonb_array_elements_text(r.subjects)), ARRAY(SELECT jsonb_array_elements_text(r.fields)),
                  r.policy_version, r.prev_hash, r.hash
           FROM r ORDER BY r.seq
           RETURNING seq, subjects
         )
         INSERT INTO query_log_subjects (subject, seq) SELECT DISTINCT s.subject, logged.seq FROM logged, unnest(logged.subjects) AS s(subject)`,
        [
          JSON.stringify(
            stored.flat().map((r) => ({
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
  }

  /** Who read this subject, newest first. */
  async forSubject(code: string, limit = 100): Promise<StoredRecord[]> {
    return (await this.forSubjects([code], limit)).get(code)!;
  }

  /**
   * The newest `limit` records of each subject, newest first, for many subjects in one statement (the credit-file
   * batch). Per subject, a backward scan of query_log_subjects' primary key that stops after `limit` rows: a subject
   * read a million times costs what one read a hundred times does.
   */
  async forSubjects(codes: readonly string[], limit = 100): Promise<Map<string, StoredRecord[]>> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const unique = [...new Set(codes)];
    const rows = await this.db.query<Row & { code: string }>(
      `SELECT c.code, ${COLUMNS}
       FROM unnest($1::text[]) AS c(code)
       CROSS JOIN LATERAL (SELECT s.seq FROM query_log_subjects s WHERE s.subject = c.code ORDER BY s.seq DESC LIMIT $2) AS newest
       JOIN query_log USING (seq)
       ORDER BY seq DESC`,
      [unique, limit],
    );
    const bySubject = new Map<string, StoredRecord[]>(unique.map((c) => [c, []]));
    for (const row of rows) bySubject.get(row.code)!.push(toStored(row));
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
