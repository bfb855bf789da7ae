import { migrate, type Database } from '../../lib/db/index.js';
import { GENESIS_HASH, hashRecord, type QueryRecord, type StoredRecord } from './record.js';

export const QUERY_LOG_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** Serialises appends from every gateway instance on one database (any constant unlike lib/db/migrate.ts's). */
const APPEND_LOCK = 7_310_002;

/**
 * `records` counts the records checked and found intact (on failure: those before `brokenAt`).
 * A chain shows only that the log is consistent with itself: a deleted tail, or a tail rewritten with
 * recomputed hashes, leaves a shorter or different chain that is intact. Only comparing `records` and
 * `head` (or the hash at an earlier seq) with a head published earlier reveals that, so publish heads.
 */
export type VerifyResult =
  | { ok: true; records: number; head: string | null }
  | { ok: false; records: number; brokenAt: number; reason: string };

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

const COLUMNS =
  'seq, at, token_id, client_id, caller_kind, department, purpose, operation_hash, subjects, fields, policy_version, prev_hash, hash';

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
  async append(record: QueryRecord): Promise<StoredRecord> {
    if (Number.isNaN(record.at.getTime())) throw new RangeError('query record has an invalid date');
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
      const [last] = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM query_log ORDER BY seq DESC LIMIT 1');
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = hashRecord(prevHash, record);
      await tx.query(
        `INSERT INTO query_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          seq,
          record.at.toISOString(),
          record.tokenId,
          record.clientId,
          record.callerKind,
          record.department,
          record.purpose,
          record.operationHash,
          record.subjects,
          record.fields,
          record.policyVersion,
          prevHash,
          hash,
        ],
      );
      return { ...record, at: new Date(record.at), subjects: [...record.subjects], fields: [...record.fields], seq, prevHash, hash };
    });
  }

  /** Who read this subject, newest first. */
  async forSubject(code: string, limit = 100): Promise<StoredRecord[]> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM query_log WHERE subjects @> ARRAY[$1::text] ORDER BY seq DESC LIMIT $2`,
      [code, limit],
    );
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

  /** Walks the whole chain in seq order, a page at a time, and stops at the first broken link. */
  async verify(): Promise<VerifyResult> {
    let records = 0;
    let prevHash = GENESIS_HASH;
    // The lowest bigint, so a row a superuser put below seq 1 is seen too.
    let after: number | string = '-9223372036854775808';
    for (;;) {
      const rows: Row[] = await this.db.query<Row>(`SELECT ${COLUMNS} FROM query_log WHERE seq > $1 ORDER BY seq LIMIT $2`, [
        after,
        this.pageSize,
      ]);
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
