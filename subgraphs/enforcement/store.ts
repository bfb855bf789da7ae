import type { Queryable } from '../../lib/platform/db/index.js';
import type { CheckRecord, EnforcementTask, InForce, TaskFeedback, TaskStatistics } from './model.js';

interface TaskRow {
  id: string;
  entry_id: string;
  subject_code: string;
  department: string;
  authority: string;
  region: string | null;
  measure: string;
  status: EnforcementTask['status'];
  initiated_on: string;
}

const toTask = (r: TaskRow): EnforcementTask => ({
  id: r.id,
  entryId: r.entry_id,
  subjectCode: r.subject_code,
  department: r.department,
  authority: r.authority,
  region: r.region,
  measure: r.measure,
  status: r.status,
  initiatedOn: r.initiated_on,
});

/** SQL of the enforcement subgraph; every read takes a batch of keys. */
export class EnforcementStore {
  constructor(private readonly db: Queryable) {}

  async tasksBySubjects(codes: readonly string[]): Promise<EnforcementTask[]> {
    const rows = await this.db.query<TaskRow>('SELECT * FROM tasks WHERE subject_code = ANY($1) ORDER BY initiated_on DESC, id', [codes]);
    return rows.map(toTask);
  }

  async tasksByIds(ids: readonly string[]): Promise<EnforcementTask[]> {
    const rows = await this.db.query<TaskRow>('SELECT * FROM tasks WHERE id = ANY($1)', [ids]);
    return rows.map(toTask);
  }

  /**
   * Idempotent: the same (entry, department, measure) is one task however often it is initiated. A withdrawn one opens
   * again: its entry is in force again (R2 restored what a wrongful listing had ended).
   */
  async insertTask(t: EnforcementTask): Promise<void> {
    await this.db.query(
      `INSERT INTO tasks (id, entry_id, subject_code, department, authority, region, measure, status, initiated_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (entry_id, department, measure) DO UPDATE SET status = 'INITIATED', initiated_on = EXCLUDED.initiated_on, withdrawn_on = NULL, acknowledged_at = NULL
         WHERE tasks.status = 'WITHDRAWN'`,
      [t.id, t.entryId, t.subjectCode, t.department, t.authority, t.region, t.measure, t.status, t.initiatedOn],
    );
  }

  /** E2: acknowledged once; a second acknowledgement changes nothing. */
  async acknowledge(id: string): Promise<void> {
    await this.db.query("UPDATE tasks SET status = 'ACKNOWLEDGED', acknowledged_at = now() WHERE id = $1 AND status = 'INITIATED'", [id]);
  }

  /** E3: recorded once per key; the task is then fed back. */
  async recordFeedback(f: TaskFeedback): Promise<void> {
    await this.db.query(
      'INSERT INTO task_feedback (task_id, key, scenario, outcome, on_date) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (task_id, key) DO NOTHING',
      [f.taskId, f.key, f.scenario, f.outcome, f.on],
    );
    await this.db.query("UPDATE tasks SET status = 'FED_BACK' WHERE id = $1 AND status IN ('INITIATED', 'ACKNOWLEDGED')", [f.taskId]);
  }

  async feedbackOf(taskIds: readonly string[]): Promise<TaskFeedback[]> {
    const rows = await this.db.query<{ task_id: string; key: string; scenario: string; outcome: string; on_date: string }>(
      'SELECT task_id, key, scenario, outcome, on_date FROM task_feedback WHERE task_id = ANY($1) ORDER BY reported_at, key',
      [taskIds],
    );
    return rows.map((r) => ({ taskId: r.task_id, key: r.key, scenario: r.scenario, outcome: r.outcome, on: r.on_date }));
  }

  /** E5: open tasks of an exited entry are withdrawn; done ones stay as they are. */
  async withdrawOpen(entryId: string, on: string): Promise<void> {
    await this.db.query("UPDATE tasks SET status = 'WITHDRAWN', withdrawn_on = $2 WHERE entry_id = $1 AND status IN ('INITIATED', 'ACKNOWLEDGED')", [
      entryId,
      on,
    ]);
  }

  /** rule L8(a), R2: a wrongful listing leaves nothing here: its tasks (feedback cascades), its projection, its id in check records. */
  async deleteForEntry(entryId: string): Promise<void> {
    await this.db.query('DELETE FROM tasks WHERE entry_id = $1', [entryId]);
    await this.db.query('DELETE FROM entries_in_force WHERE entry_id = $1', [entryId]);
    await this.db.query('DELETE FROM listing_notices WHERE entry_id = $1', [entryId]); // L14: its notice goes too
    await this.db.query('UPDATE credit_checks SET entries = array_remove(entries, $1) WHERE $1 = ANY(entries)', [entryId]);
  }

  /** E6: tasks initiated in [from, to] by department and measure; `department` null: all departments. */
  async statistics(from: string, to: string, department: string | null): Promise<TaskStatistics[]> {
    const rows = await this.db.query<{ department: string; measure: string; initiated: number; acknowledged: number; fed_back: number; withdrawn: number }>(
      `SELECT department, measure, count(*)::int AS initiated,
              count(*) FILTER (WHERE acknowledged_at IS NOT NULL OR status = 'ACKNOWLEDGED')::int AS acknowledged,
              count(*) FILTER (WHERE status = 'FED_BACK')::int AS fed_back,
              count(*) FILTER (WHERE status = 'WITHDRAWN')::int AS withdrawn
       FROM tasks WHERE initiated_on BETWEEN $1 AND $2 AND ($3::text IS NULL OR department = $3)
       GROUP BY department, measure ORDER BY department, measure`,
      [from, to, department],
    );
    return rows.map((r) => ({
      department: r.department,
      measure: r.measure,
      initiated: r.initiated,
      acknowledged: r.acknowledged,
      fedBack: r.fed_back,
      withdrawn: r.withdrawn,
    }));
  }

  /** E4's projection: an entry is in force (listings.entry.effective) ... */
  async entryInForce(e: InForce): Promise<void> {
    await this.db.query(
      `INSERT INTO entries_in_force (entry_id, subject_code, kind, field, authority, region, since, published)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (entry_id) DO NOTHING`,
      [e.entryId, e.subjectCode, e.kind, e.field, e.authority, e.region, e.since, e.published],
    );
  }

  /** ... until it exits (E5: checks no longer return its measures). */
  async entryOutOfForce(entryId: string): Promise<void> {
    await this.db.query('DELETE FROM entries_in_force WHERE entry_id = $1', [entryId]);
  }

  /** L13: the persons who carry an organisation's entry in force; they go with it (the foreign key cascades). */
  async carriedBy(entryId: string, persons: readonly { code: string; role: string }[]): Promise<void> {
    if (persons.length === 0) return;
    await this.db.query(
      `INSERT INTO responsible_in_force (entry_id, person_code, role)
       SELECT $1, code, role FROM unnest($2::text[], $3::text[]) AS p (code, role) ON CONFLICT DO NOTHING`,
      [entryId, persons.map((p) => p.code), persons.map((p) => p.role)],
    );
  }

  /**
   * The entries in force of these subjects and, for persons, the organisations' entries they carry (L13, `carriedBy`
   * set): one statement whoever asks and whatever is found, so the count of statements says nothing (A6).
   */
  async inForceFor(codes: readonly string[]): Promise<InForce[]> {
    const rows = await this.db.query<{
      entry_id: string;
      subject_code: string;
      kind: InForce['kind'];
      field: string;
      authority: string;
      region: string | null;
      since: string;
      published: boolean;
      carried_by: string | null;
    }>(
      `SELECT e.*, NULL::text AS carried_by FROM entries_in_force e WHERE e.subject_code = ANY($1)
       UNION ALL
       SELECT e.*, r.person_code AS carried_by FROM entries_in_force e JOIN responsible_in_force r ON r.entry_id = e.entry_id WHERE r.person_code = ANY($1)
       ORDER BY since, entry_id`,
      [codes],
    );
    return rows.map((r) => ({
      entryId: r.entry_id,
      subjectCode: r.subject_code,
      kind: r.kind,
      field: r.field,
      authority: r.authority,
      region: r.region,
      since: r.since,
      published: r.published,
      carriedBy: r.carried_by,
    }));
  }

  /** E4: every check is recorded, a batch in one statement. */
  async recordChecks(checks: readonly CheckRecord[]): Promise<void> {
    if (checks.length === 0) return;
    await this.db.query(
      `INSERT INTO credit_checks (client_id, department, subject_code, scenario, verdict, measures, entries)
       SELECT client_id, department, subject_code, scenario, verdict, measures::text[], entries::text[] FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS t(client_id, department, subject_code, scenario, verdict, measures, entries)`,
      [
        checks.map((c) => c.clientId),
        checks.map((c) => c.department),
        checks.map((c) => c.subjectCode),
        checks.map((c) => c.scenario),
        checks.map((c) => c.verdict),
        checks.map((c) => `{${c.measures.join(',')}}`),
        checks.map((c) => `{${c.entries.join(',')}}`),
      ],
    );
  }

  /** For queries kept beside their own records (listingNotices.ts): the store's connection. */
  read<T>(query: (db: Queryable) => Promise<T>): Promise<T> {
    return query(this.db);
  }

  async taskCount(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks');
    return row?.n ?? 0;
  }
}
