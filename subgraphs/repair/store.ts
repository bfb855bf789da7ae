import type { Queryable } from '../../lib/db/index.js';
import type { Objection, RepairApplication } from './model.js';

interface ObjectionRow {
  id: string;
  entry_id: string;
  subject_code: string;
  authority: string;
  grounds: string;
  status: Objection['status'];
  filed_on: string;
}

interface RepairRow {
  id: string;
  entry_id: string;
  subject_code: string;
  authority: string;
  status: RepairApplication['status'];
  applied_on: string;
}

const toObjection = (r: ObjectionRow): Objection => ({
  id: r.id,
  entryId: r.entry_id,
  subjectCode: r.subject_code,
  authority: r.authority,
  grounds: r.grounds,
  status: r.status,
  filedOn: r.filed_on,
});

const toRepair = (r: RepairRow): RepairApplication => ({
  id: r.id,
  entryId: r.entry_id,
  subjectCode: r.subject_code,
  authority: r.authority,
  status: r.status,
  appliedOn: r.applied_on,
});

/** SQL of the repair subgraph; every read takes a batch of keys. */
export class RepairStore {
  constructor(private readonly db: Queryable) {}

  async objectionsBySubjects(codes: readonly string[]): Promise<Objection[]> {
    const rows = await this.db.query<ObjectionRow>('SELECT * FROM objections WHERE subject_code = ANY($1) ORDER BY filed_on DESC, id', [codes]);
    return rows.map(toObjection);
  }

  async objectionsByIds(ids: readonly string[]): Promise<Objection[]> {
    const rows = await this.db.query<ObjectionRow>('SELECT * FROM objections WHERE id = ANY($1)', [ids]);
    return rows.map(toObjection);
  }

  async repairsBySubjects(codes: readonly string[]): Promise<RepairApplication[]> {
    const rows = await this.db.query<RepairRow>('SELECT * FROM repair_applications WHERE subject_code = ANY($1) ORDER BY applied_on DESC, id', [codes]);
    return rows.map(toRepair);
  }

  async repairsByIds(ids: readonly string[]): Promise<RepairApplication[]> {
    const rows = await this.db.query<RepairRow>('SELECT * FROM repair_applications WHERE id = ANY($1)', [ids]);
    return rows.map(toRepair);
  }

  async insertObjection(o: Objection): Promise<void> {
    await this.db.query(
      'INSERT INTO objections (id, entry_id, subject_code, authority, grounds, status, filed_on) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [o.id, o.entryId, o.subjectCode, o.authority, o.grounds, o.status, o.filedOn],
    );
  }

  async insertRepair(r: RepairApplication): Promise<void> {
    await this.db.query(
      'INSERT INTO repair_applications (id, entry_id, subject_code, authority, status, applied_on) VALUES ($1, $2, $3, $4, $5, $6)',
      [r.id, r.entryId, r.subjectCode, r.authority, r.status, r.appliedOn],
    );
  }

  async objectionCount(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM objections');
    return row?.n ?? 0;
  }
}
