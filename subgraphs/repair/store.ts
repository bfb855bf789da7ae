import type { Queryable } from '../../lib/platform/db/index.js';
import { forgetKey } from '../../lib/platform/events/index.js';
import type { Commitment, CreditReport, Declaration, EntryFacts, Interview, Objection, Rectification, RepairApplication, Training } from './model.js';

/** R9: the advisory-lock space of the statements on subjects' files (the second key is the subject's code, hashed). */
const FILE_DECLARATION_LOCK = 7_310_009;

/** Rows come back snake_case; the records are the same columns in camelCase (every table here is mapped 1:1). */
function camel<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  return out as T;
}

/** The columns of a record, in the order `values` gives them. */
function insert(table: string, record: Record<string, unknown>): [string, unknown[]] {
  const columns = Object.keys(record).map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  const placeholders = columns.map((_, i) => `$${i + 1}`);
  return [`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders.join(', ')})`, Object.values(record)];
}

/** SQL of the repair subgraph; every read takes a batch of keys (one statement per batch). */
export class RepairStore {
  constructor(private readonly db: Queryable) {}

  private async rows<T>(sql: string, params: readonly unknown[]): Promise<T[]> {
    return (await this.db.query<Record<string, unknown>>(sql, params)).map((r) => camel<T>(r));
  }

  private async add(table: string, record: object): Promise<void> {
    const [sql, params] = insert(table, record as Record<string, unknown>);
    await this.db.query(sql, params);
  }

  // entries, as listings tells of them
  entriesByIds(ids: readonly string[]): Promise<EntryFacts[]> {
    return this.rows('SELECT * FROM entries WHERE entry_id = ANY($1)', [ids]);
  }
  /** The entry, its row locked until the transaction ends: filings and applications on one entry take turns. */
  async entryForUpdate(entryId: string): Promise<EntryFacts | undefined> {
    return (await this.rows<EntryFacts>('SELECT * FROM entries WHERE entry_id = $1 FOR UPDATE', [entryId]))[0];
  }
  entriesBySubjects(codes: readonly string[]): Promise<EntryFacts[]> {
    return this.rows('SELECT * FROM entries WHERE subject_code = ANY($1) ORDER BY determined_on DESC, entry_id', [codes]);
  }
  async upsertEntry(e: EntryFacts): Promise<void> {
    const [sql, params] = insert('entries', { ...e });
    await this.db.query(`${sql} ON CONFLICT (entry_id) DO NOTHING`, params);
  }
  async setEntryStatus(entryId: string, status: EntryFacts['status'], exitWay: string | null = null): Promise<void> {
    await this.db.query("UPDATE entries SET status = $2, exit_way = CASE WHEN $2 = 'EXITED' THEN coalesce($3, exit_way) END WHERE entry_id = $1", [
      entryId,
      status,
      exitWay,
    ]);
  }

  /**
   * rule L8(a), R2: a wrongful black listing is deleted everywhere, nothing of it kept: repair forgets the entry, its
   * rectifications, interviews, applications, the subject's declarations on it (R9) and its own events about it;
   * objections keep only their outcome and the correction (apology, clarification).
   */
  async forgetEntry(entryId: string, on: string): Promise<void> {
    // first: a filing or an application on the entry holds this row (knownEntry); it commits before, or finds nothing after
    await this.db.query('SELECT 1 FROM entries WHERE entry_id = $1 FOR UPDATE', [entryId]);
    await this.db.query(
      "UPDATE objections SET status = 'CLOSED', due_by = NULL, decided_on = $2, reason = 'the entry was deleted (R2, L8a)' WHERE entry_id = $1 AND status IN ('FILED', 'ACCEPTED', 'VERIFIED')",
      [entryId, on],
    );
    await this.db.query('DELETE FROM interviews WHERE entry_id = $1', [entryId]);
    await this.db.query('DELETE FROM rectifications WHERE entry_id = $1', [entryId]);
    await this.db.query('DELETE FROM repair_applications WHERE entry_id = $1', [entryId]);
    await this.db.query('DELETE FROM declarations WHERE entry_id = $1', [entryId]);
    await this.db.query(
      'UPDATE objections SET entry_id = NULL, grounds = NULL, evidence = NULL, findings = NULL, extension_reason = NULL WHERE entry_id = $1',
      [entryId],
    );
    await this.db.query('DELETE FROM entries WHERE entry_id = $1', [entryId]);
    await forgetKey(this.db, entryId); // repair's own events about it (keyed by entry id)
  }

  // R9 declarations: every version a row; at most one current per target (the file: entry_id null, or one entry)
  /** Every version of the subjects' declarations: the file's first, then each entry's, oldest first. */
  declarationsBySubjects(codes: readonly string[]): Promise<Declaration[]> {
    return this.rows('SELECT * FROM declarations WHERE subject_code = ANY($1) ORDER BY subject_code, entry_id NULLS FIRST, version', [codes]);
  }
  declarationsByIds(ids: readonly string[]): Promise<Declaration[]> {
    return this.rows('SELECT * FROM declarations WHERE id = ANY($1)', [ids]);
  }
  currentDeclarationsOnEntries(entryIds: readonly string[]): Promise<Declaration[]> {
    return this.rows("SELECT * FROM declarations WHERE entry_id = ANY($1) AND status = 'CURRENT'", [entryIds]);
  }
  /** The newest version on a target (the current one, when there is one); read under the target's lock (declarations.ts). */
  async latestDeclaration(subjectCode: string, entryId: string | null): Promise<Declaration | undefined> {
    const sql = 'SELECT * FROM declarations WHERE subject_code = $1 AND entry_id IS NOT DISTINCT FROM $2::text ORDER BY version DESC LIMIT 1';
    return (await this.rows<Declaration>(sql, [subjectCode, entryId]))[0];
  }
  /** Serialises changes to the statement on a subject's file until the transaction ends (there is no row to lock). */
  async lockFileDeclarations(subjectCode: string): Promise<void> {
    await this.db.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [FILE_DECLARATION_LOCK, subjectCode]);
  }
  insertDeclaration(d: Declaration): Promise<void> {
    return this.add('declarations', d);
  }
  async endDeclaration(id: string, status: 'REPLACED' | 'WITHDRAWN', on: string): Promise<void> {
    await this.db.query(
      `UPDATE declarations SET status = $2::text, replaced_on = CASE WHEN $2::text = 'REPLACED' THEN $3::date END,
         withdrawn_on = CASE WHEN $2::text = 'WITHDRAWN' THEN $3::date END WHERE id = $1 AND status = 'CURRENT'`,
      [id, status, on],
    );
  }

  // R1 objections
  objectionsByIds(ids: readonly string[]): Promise<Objection[]> {
    return this.rows('SELECT * FROM objections WHERE id = ANY($1)', [ids]);
  }
  /**
   * Locks the entry a record of `table` is about, before the record itself: the order filings (knownEntry) and the
   * deletion (forgetEntry) take them too, so no two transactions wait on each other in reverse.
   */
  private async lockEntryOf(table: 'objections' | 'repair_applications', id: string): Promise<void> {
    await this.db.query(`SELECT 1 FROM entries WHERE entry_id = (SELECT entry_id FROM ${table} WHERE id = $1) FOR UPDATE`, [id]);
  }

  /** The objection, locked (after its entry) until the transaction ends: two decisions on it cannot both pass its state check. */
  async objectionForUpdate(id: string): Promise<Objection | undefined> {
    await this.lockEntryOf('objections', id);
    return (await this.rows<Objection>('SELECT * FROM objections WHERE id = $1 FOR UPDATE', [id]))[0];
  }
  objectionsBySubjects(codes: readonly string[]): Promise<Objection[]> {
    return this.rows('SELECT * FROM objections WHERE subject_code = ANY($1) ORDER BY filed_on DESC, id', [codes]);
  }
  async reconsiderationOf(id: string): Promise<Objection | undefined> {
    return (await this.rows<Objection>('SELECT * FROM objections WHERE reconsiders = $1', [id]))[0];
  }
  objectionsByEntry(entryId: string): Promise<Objection[]> {
    return this.rows('SELECT * FROM objections WHERE entry_id = $1 ORDER BY filed_on, id', [entryId]);
  }
  /** The department's open objections, the nearest deadline first (R1: what is overdue shows first). */
  openObjectionsOf(authority: string): Promise<Objection[]> {
    return this.rows("SELECT * FROM objections WHERE authority = $1 AND status IN ('FILED', 'ACCEPTED', 'VERIFIED') ORDER BY due_by NULLS LAST, id", [
      authority,
    ]);
  }
  insertObjection(o: Objection): Promise<void> {
    return this.add('objections', o);
  }
  async updateObjection(id: string, change: Partial<Objection>): Promise<void> {
    const entries = Object.entries(change);
    const sets = entries.map(([k], i) => `${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} = $${i + 2}`);
    await this.db.query(`UPDATE objections SET ${sets.join(', ')} WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
  }
  async objectionCount(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM objections');
    return row?.n ?? 0;
  }

  // R7 applications
  repairsByIds(ids: readonly string[]): Promise<RepairApplication[]> {
    return this.rows('SELECT * FROM repair_applications WHERE id = ANY($1)', [ids]);
  }
  /** The application, locked after its entry (see lockEntryOf). */
  async repairForUpdate(id: string): Promise<RepairApplication | undefined> {
    await this.lockEntryOf('repair_applications', id);
    return (await this.rows<RepairApplication>('SELECT * FROM repair_applications WHERE id = $1 FOR UPDATE', [id]))[0];
  }
  repairsBySubjects(codes: readonly string[]): Promise<RepairApplication[]> {
    return this.rows('SELECT * FROM repair_applications WHERE subject_code = ANY($1) ORDER BY applied_on DESC, id', [codes]);
  }
  openRepairsOf(authority: string): Promise<RepairApplication[]> {
    return this.rows("SELECT * FROM repair_applications WHERE authority = $1 AND status = 'APPLIED' ORDER BY due_by NULLS LAST, id", [authority]);
  }
  insertRepair(r: RepairApplication): Promise<void> {
    return this.add('repair_applications', r);
  }
  async decideRepair(id: string, status: 'APPROVED' | 'REFUSED', on: string, reason: string): Promise<void> {
    await this.db.query("UPDATE repair_applications SET status = $2, decided_on = $3, reason = $4 WHERE id = $1 AND status = 'APPLIED'", [
      id,
      status,
      on,
      reason,
    ]);
  }

  // R3 rectification and interviews
  rectificationsByIds(ids: readonly string[]): Promise<Rectification[]> {
    return this.rows('SELECT * FROM rectifications WHERE id = ANY($1)', [ids]);
  }
  rectificationsBySubjects(codes: readonly string[]): Promise<Rectification[]> {
    return this.rows('SELECT * FROM rectifications WHERE subject_code = ANY($1) ORDER BY required_on DESC, id', [codes]);
  }
  insertRectification(r: Rectification): Promise<void> {
    return this.add('rectifications', r);
  }
  async confirmRectified(id: string, on: string): Promise<void> {
    await this.db.query('UPDATE rectifications SET rectified_on = $2 WHERE id = $1 AND rectified_on IS NULL', [id, on]);
  }
  /** R3: rectifications past their deadline, not rectified, with no interview yet. */
  overdueRectifications(today: string): Promise<Rectification[]> {
    return this.rows(
      `SELECT r.* FROM rectifications r WHERE r.rectified_on IS NULL AND r.deadline < $1
         AND NOT EXISTS (SELECT 1 FROM interviews i WHERE i.rectification_id = r.id) ORDER BY r.deadline, r.id`,
      [today],
    );
  }
  interviewsByIds(ids: readonly string[]): Promise<Interview[]> {
    return this.rows('SELECT * FROM interviews WHERE id = ANY($1)', [ids]);
  }
  async interviewForUpdate(id: string): Promise<Interview | undefined> {
    return (await this.rows<Interview>('SELECT * FROM interviews WHERE id = $1 FOR UPDATE', [id]))[0];
  }
  interviewsBySubjects(codes: readonly string[]): Promise<Interview[]> {
    return this.rows('SELECT * FROM interviews WHERE subject_code = ANY($1) ORDER BY scheduled_on DESC, id', [codes]);
  }
  async insertInterview(i: Interview): Promise<void> {
    const [sql, params] = insert('interviews', { ...i });
    await this.db.query(`${sql} ON CONFLICT (rectification_id) DO NOTHING`, params);
  }
  async recordInterview(id: string, outcome: Interview['outcome'], record: string, on: string): Promise<void> {
    await this.db.query('UPDATE interviews SET outcome = $2, record = $3, recorded_on = $4 WHERE id = $1 AND outcome IS NULL', [id, outcome, record, on]);
  }

  // R4–R6 the subject's own records
  commitmentsBySubjects(codes: readonly string[]): Promise<Commitment[]> {
    return this.rows('SELECT * FROM commitments WHERE subject_code = ANY($1) ORDER BY made_on DESC, id', [codes]);
  }
  insertCommitment(c: Commitment): Promise<void> {
    return this.add('commitments', c);
  }
  async trainingsBySubjects(codes: readonly string[]): Promise<Training[]> {
    const rows = await this.rows<Training>('SELECT * FROM trainings WHERE subject_code = ANY($1) ORDER BY completed_on DESC, id', [codes]);
    return rows.map((t) => ({ ...t, hours: Number(t.hours) })); // numeric comes back as text
  }
  insertTraining(t: Training): Promise<void> {
    return this.add('trainings', t);
  }
  creditReportsBySubjects(codes: readonly string[]): Promise<CreditReport[]> {
    return this.rows('SELECT * FROM credit_reports WHERE subject_code = ANY($1) ORDER BY issued_on DESC, id', [codes]);
  }
  insertCreditReport(r: CreditReport): Promise<void> {
    return this.add('credit_reports', r);
  }
}
