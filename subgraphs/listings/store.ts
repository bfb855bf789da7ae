import type { EntryView } from '../../lib/contracts/access.js';
import type { Queryable } from '../../lib/platform/db/index.js';
import { forgetKey, publishEvent } from '../../lib/platform/events/index.js';
import {
  LISTINGS_EVENTS,
  type EntryDeleted,
  type EntryDetermined,
  type EntryEffective,
  type EntryExited,
  type EntryRestored,
} from '../../lib/contracts/events/listings.js';
import type { RecipientKind, ResponsibleRole } from '../../lib/contracts/vocabulary.js';
import type { EntryChange, EntryExit, ListEntry, Recipient, Responsibility, Subject } from './model.js';

interface SubjectRow {
  code: string;
  kind: Subject['kind'];
  name: string;
  region: string | null;
  lei: string | null;
  phone: string | null;
  address: string | null;
  legal_rep_name: string | null;
  legal_rep_id_type: string | null;
  legal_rep_id_number: string | null;
}

interface EntryRow {
  id: string;
  subject_code: string;
  kind: ListEntry['kind'];
  status: ListEntry['status'];
  field: string;
  facts: string;
  authority: string;
  basis: string;
  determined_on: string;
  valid_until: string | null;
  repairable: boolean;
  repairable_from: string | null;
  severity: ListEntry['severity'];
  published: boolean;
  evidence: string | null;
  focus_months: number;
  effective_on: string | null;
  held: boolean;
  late_report: boolean;
  penalty_decided_on: string | null;
  late_publication: boolean;
  reported_on: string;
  exit_way: EntryExit['way'] | null;
  exit_on: string | null;
  exit_reason: string | null;
  ended_by: string | null;
  follows: string | null;
}

const toSubject = (r: SubjectRow): Subject => ({
  code: r.code,
  kind: r.kind,
  name: r.name,
  region: r.region,
  lei: r.lei,
  phone: r.phone,
  address: r.address,
  legalRepresentative:
    r.legal_rep_name && r.legal_rep_id_number
      ? { name: r.legal_rep_name, idType: r.legal_rep_id_type ?? 'RESIDENT_ID', idNumber: r.legal_rep_id_number }
      : null,
});

const toEntry = (r: EntryRow): ListEntry => ({
  id: r.id,
  subjectCode: r.subject_code,
  kind: r.kind,
  status: r.status,
  field: r.field,
  facts: r.facts,
  authority: r.authority,
  basis: r.basis,
  determinedOn: r.determined_on,
  validUntil: r.valid_until,
  repairable: r.repairable,
  repairableFrom: r.repairable_from,
  severity: r.severity,
  published: r.published,
  evidence: r.evidence,
  focusMonths: r.focus_months,
  effectiveOn: r.effective_on,
  held: r.held,
  lateReport: r.late_report,
  penaltyDecidedOn: r.penalty_decided_on,
  latePublication: r.late_publication,
  reportedOn: r.reported_on,
  exit: r.exit_way && r.exit_on ? { way: r.exit_way, on: r.exit_on, reason: r.exit_reason ?? '', by: r.ended_by } : null,
  follows: r.follows,
});

/**
 * The public part of the lists (lib/contracts/access.ts, isPublicEntry) as SQL over `list_entries e`; a test holds the two
 * to the same answers.
 */
export const PUBLIC_ENTRY_SQL = "e.published AND (e.status = 'EFFECTIVE' OR (e.status = 'NOTICE' AND e.kind = 'RED'))";

/**
 * rule A6 over `subjects s`, for a view that is not `all`: with its parameters (the caller's own code, or null; the
 * list kinds it may see) numbered from `first`.
 */
function knownToView(view: Extract<EntryView, { scope: 'public' }>, first: number): { sql: string; params: unknown[] } {
  return {
    sql: `(s.kind = 'ORGANISATION' OR s.code = $${first}::text OR EXISTS (
      SELECT 1 FROM list_entries e WHERE e.subject_code = s.code AND e.kind = ANY($${first + 1}::text[]) AND ${PUBLIC_ENTRY_SQL}))`,
    params: [view.own, [...view.kinds]],
  };
}

/** SQL of the listings subgraph; every read takes a batch of keys (one statement per batch). */
interface ResponsibilityRow {
  entry_id: string;
  person_code: string;
  role: ResponsibleRole;
}

const toResponsibility = (r: ResponsibilityRow): Responsibility => ({ entryId: r.entry_id, personCode: r.person_code, role: r.role });

export class ListingsStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Serialises every change to one subject's entries until the transaction ends (a row lock on the subject). The rules
   * that read several entries and write from what they read (L2, L3, L6, L7) would otherwise decide on a state that a
   * concurrent determination, exit or event is changing. Every path that changes entries takes it first.
   */
  async lockSubject(code: string): Promise<Subject | undefined> {
    const [row] = await this.db.query<SubjectRow>('SELECT * FROM subjects WHERE code = $1 FOR UPDATE', [code]);
    return row ? toSubject(row) : undefined;
  }

  /** An entry read after its subject is locked (lockSubject): as committed once any concurrent change to that subject ended. */
  async lockedEntry(id: string): Promise<ListEntry | undefined> {
    const [seen] = await this.entriesByIds([id]);
    if (!seen) return undefined;
    await this.lockSubject(seen.subjectCode);
    const [entry] = await this.entriesByIds([id]);
    return entry;
  }

  async subjectsByCodes(codes: readonly string[]): Promise<Subject[]> {
    const rows = await this.db.query<SubjectRow>('SELECT * FROM subjects WHERE code = ANY($1)', [codes]);
    return rows.map(toSubject);
  }

  /**
   * rule A6: the subjects a caller with this view may know of — every organisation; a person only when the caller may
   * see one of its entries (or it is the caller itself). One statement whether a code is unknown, hidden or shown.
   */
  async subjectsVisibleTo(codes: readonly string[], view: EntryView): Promise<Subject[]> {
    if (view.scope === 'all') return this.subjectsByCodes(codes);
    const known = knownToView(view, 2);
    const rows = await this.db.query<SubjectRow>(`SELECT * FROM subjects s WHERE s.code = ANY($1) AND ${known.sql}`, [codes, ...known.params]);
    return rows.map(toSubject);
  }

  async entriesBySubjects(codes: readonly string[]): Promise<ListEntry[]> {
    const rows = await this.db.query<EntryRow>('SELECT * FROM list_entries WHERE subject_code = ANY($1) ORDER BY determined_on DESC, id', [codes]);
    return rows.map(toEntry);
  }

  async entriesByIds(ids: readonly string[]): Promise<ListEntry[]> {
    const rows = await this.db.query<EntryRow>('SELECT * FROM list_entries WHERE id = ANY($1)', [ids]);
    return rows.map(toEntry);
  }

  /**
   * Name contains `text` (case-insensitive, taken literally), or the code is `text`; among the subjects the view may
   * know of (A6), so the limit counts only those and the number found says nothing of the others.
   */
  async search(text: string, first: number, view: EntryView): Promise<Subject[]> {
    const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const known = view.scope === 'all' ? { sql: 'true', params: [] } : knownToView(view, 4);
    const rows = await this.db.query<SubjectRow>(
      `SELECT * FROM subjects s WHERE (s.code = $1 OR lower(s.name) LIKE $2) AND ${known.sql}
       ORDER BY (s.code = $1) DESC, s.name, s.code LIMIT $3`,
      [text.toUpperCase(), pattern, first, ...known.params],
    );
    return rows.map(toSubject);
  }

  async insertSubject(s: Subject): Promise<void> {
    const rep = s.legalRepresentative;
    await this.db.query(
      `INSERT INTO subjects (code, kind, name, region, lei, phone, address, legal_rep_name, legal_rep_id_type, legal_rep_id_number)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [s.code, s.kind, s.name, s.region, s.lei, s.phone, s.address, rep?.name ?? null, rep?.idType ?? null, rep?.idNumber ?? null],
    );
  }

  async insertEntry(e: ListEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO list_entries (id, subject_code, kind, status, field, facts, authority, basis, determined_on,
         valid_until, repairable, published, evidence, focus_months, effective_on, held, late_report,
         penalty_decided_on, late_publication, reported_on, exit_way, exit_on, exit_reason, severity, repairable_from, ended_by, follows)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)`,
      [
        e.id,
        e.subjectCode,
        e.kind,
        e.status,
        e.field,
        e.facts,
        e.authority,
        e.basis,
        e.determinedOn,
        e.validUntil,
        e.repairable,
        e.published,
        e.evidence,
        e.focusMonths,
        e.effectiveOn,
        e.held,
        e.lateReport,
        e.penaltyDecidedOn,
        e.latePublication,
        e.reportedOn,
        e.exit?.way ?? null,
        e.exit?.on ?? null,
        e.exit?.reason ?? null,
        e.severity,
        e.repairableFrom,
        e.exit?.by ?? null,
        e.follows,
      ],
    );
  }

  /** Ends an entry: its exit is recorded, never overwritten (the row is EXITED from then on). */
  async recordExit(id: string, exit: EntryExit): Promise<void> {
    await this.db.query(
      "UPDATE list_entries SET status = 'EXITED', exit_way = $2, exit_on = $3, exit_reason = $4, ended_by = $5 WHERE id = $1 AND exit_way IS NULL",
      [id, exit.way, exit.on, exit.reason, exit.by ?? null],
    );
  }

  async setStatus(id: string, status: ListEntry['status'], held: boolean): Promise<void> {
    await this.db.query('UPDATE list_entries SET status = $2, held = $3 WHERE id = $1', [id, status, held]);
  }

  /** Entries with a transition due on `date` (a notice period over, or a validity ended): at most `limit` of each. */
  async dueOn(date: string, limit: number): Promise<ListEntry[]> {
    // two ordered scans of partial indexes (migration 011), each stopping after `limit`: an OR of the two conditions
    // would be planned as a scan of every entry
    const rows = await this.db.query<EntryRow>(
      `SELECT * FROM list_entries WHERE id IN (
         (SELECT id FROM list_entries WHERE status = 'NOTICE' AND NOT held AND effective_on <= $1 ORDER BY effective_on, id LIMIT $2)
         UNION
         (SELECT id FROM list_entries WHERE status <> 'EXITED' AND valid_until < $1 ORDER BY valid_until, id LIMIT $2))
       ORDER BY determined_on, id`,
      [date, limit],
    );
    return rows.map(toEntry);
  }

  /** The entries that followed from `id` when it exited (L8: the focus after a black exit). */
  async followersOf(id: string): Promise<ListEntry[]> {
    const rows = await this.db.query<EntryRow>('SELECT * FROM list_entries WHERE follows = $1', [id]);
    return rows.map(toEntry);
  }

  /** The entries `id` ended: the reds it superseded (L2), the focus entry it took over (L7). */
  async endedBy(id: string): Promise<ListEntry[]> {
    const rows = await this.db.query<EntryRow>('SELECT * FROM list_entries WHERE ended_by = $1', [id]);
    return rows.map(toEntry);
  }

  /**
   * R2: an entry that a listing since deleted as wrongful had ended gets its own state back (`exit` null: in force
   * again), and its history keeps the change but no longer names that listing (L8a).
   */
  async reviseEnd(id: string, erasedId: string, status: ListEntry['status'], exit: EntryExit | null): Promise<void> {
    await this.db.query('UPDATE list_entries SET status = $2, exit_way = $3, exit_on = $4, exit_reason = $5, ended_by = $6 WHERE id = $1', [
      id,
      status,
      exit?.way ?? null,
      exit?.on ?? null,
      exit?.reason ?? null,
      exit?.by ?? null,
    ]);
    await this.db.query(
      "UPDATE entry_changes SET reason = 'ended by a listing later found wrong and deleted (R2, L8a)' WHERE entry_id = $1 AND strpos(reason, $2) > 0",
      [id, erasedId],
    );
  }

  /** rule L8(a): the entry and its whole history go; nothing of the content is kept, and the others are told. */
  async deleteEntry(entry: ListEntry): Promise<void> {
    await this.db.query('DELETE FROM entry_changes WHERE entry_id = $1', [entry.id]);
    await this.db.query('DELETE FROM list_entries WHERE id = $1', [entry.id]);
    await forgetKey(this.db, entry.id); // what was published about it goes too; only "deleted" is left to deliver
    const deleted: EntryDeleted = { entryId: entry.id, subjectCode: entry.subjectCode };
    await publishEvent(this.db, LISTINGS_EVENTS.deleted, entry.id, deleted);
  }

  /** A new entry, with what repair needs to take objections and applications against it (R1, R7, R8). */
  async publishDetermined(entry: ListEntry): Promise<void> {
    const [subject] = await this.subjectsByCodes([entry.subjectCode]);
    const payload: EntryDetermined = {
      entryId: entry.id,
      subjectCode: entry.subjectCode,
      region: subject?.region ?? null,
      kind: entry.kind,
      field: entry.field,
      authority: entry.authority,
      status: entry.status,
      determinedOn: entry.determinedOn,
      validUntil: entry.validUntil,
      severity: entry.severity,
      repairable: entry.repairable,
      repairableFrom: entry.repairableFrom,
    };
    await publishEvent(this.db, LISTINGS_EVENTS.determined, entry.id, payload);
  }

  /** L13: links the persons who carry an organisation's entry in their personal files (they are registered subjects). */
  async linkResponsible(entryId: string, persons: readonly Responsibility[]): Promise<void> {
    if (persons.length === 0) return;
    await this.db.query(
      `INSERT INTO responsible_persons (entry_id, person_code, role)
       SELECT $1, code, role FROM unnest($2::text[], $3::text[]) AS p (code, role) ON CONFLICT DO NOTHING`,
      [entryId, persons.map((p) => p.personCode), persons.map((p) => p.role)],
    );
  }

  /** L14: whom an entry that may not be published is notified to. */
  async setRecipient(entryId: string, recipient: Recipient): Promise<void> {
    await this.db.query('INSERT INTO entry_recipients (entry_id, recipient_kind, recipient) VALUES ($1, $2, $3)', [entryId, recipient.kind, recipient.to]);
  }

  async recipientOf(entryId: string): Promise<Recipient | undefined> {
    const [row] = await this.db.query<{ recipient_kind: RecipientKind; recipient: string }>(
      'SELECT recipient_kind, recipient FROM entry_recipients WHERE entry_id = $1',
      [entryId],
    );
    return row ? { kind: row.recipient_kind, to: row.recipient } : undefined;
  }

  /** L13: the focus entry that follows a black exit (L8) binds the same persons. */
  async copyResponsible(fromEntryId: string, toEntryId: string): Promise<void> {
    await this.db.query(
      'INSERT INTO responsible_persons (entry_id, person_code, role) SELECT $2, person_code, role FROM responsible_persons WHERE entry_id = $1',
      [fromEntryId, toEntryId],
    );
  }

  /** L13: who carries each of these entries. */
  async responsibleForEntries(entryIds: readonly string[]): Promise<Responsibility[]> {
    const rows = await this.db.query<ResponsibilityRow>('SELECT * FROM responsible_persons WHERE entry_id = ANY($1) ORDER BY role, person_code', [entryIds]);
    return rows.map(toResponsibility);
  }

  /** L13: the organisations' entries each of these persons carries. */
  async responsibilitiesOf(personCodes: readonly string[]): Promise<Responsibility[]> {
    const rows = await this.db.query<ResponsibilityRow>('SELECT * FROM responsible_persons WHERE person_code = ANY($1) ORDER BY entry_id', [personCodes]);
    return rows.map(toResponsibility);
  }

  /** Tells the other subgraphs, in this store's transaction (outbox). */
  async publishEffective(entry: ListEntry, on: string): Promise<void> {
    const [subject] = await this.subjectsByCodes([entry.subjectCode]);
    const responsible = await this.responsibleForEntries([entry.id]);
    const recipient = entry.published ? undefined : await this.recipientOf(entry.id);
    const payload: EntryEffective = {
      entryId: entry.id,
      subjectCode: entry.subjectCode,
      region: subject?.region ?? null,
      kind: entry.kind,
      field: entry.field,
      authority: entry.authority,
      on,
      published: entry.published,
      responsiblePersons: responsible.map((r) => ({ code: r.personCode, role: r.role })),
      ...(recipient ? { recipient } : {}),
    };
    await publishEvent(this.db, LISTINGS_EVENTS.effective, entry.id, payload);
  }

  /** R2: an entry a wrongful listing had ended is back, in notice or in force (`effective` follows for the latter). */
  async publishRestored(entry: ListEntry, status: 'NOTICE' | 'EFFECTIVE'): Promise<void> {
    const payload: EntryRestored = { entryId: entry.id, subjectCode: entry.subjectCode, status };
    await publishEvent(this.db, LISTINGS_EVENTS.restored, entry.id, payload);
  }

  async publishExited(entry: ListEntry, exit: EntryExit): Promise<void> {
    const payload: EntryExited = { entryId: entry.id, subjectCode: entry.subjectCode, kind: entry.kind, way: exit.way, on: exit.on };
    await publishEvent(this.db, LISTINGS_EVENTS.exited, entry.id, payload);
  }

  async historyOf(ids: readonly string[]): Promise<EntryChange[]> {
    const rows = await this.db.query<{ entry_id: string; at: Date; actor: string; action: string; reason: string | null }>(
      'SELECT entry_id, at, actor, action, reason FROM entry_changes WHERE entry_id = ANY($1) ORDER BY id',
      [ids],
    );
    return rows.map((r) => ({ entryId: r.entry_id, at: r.at, actor: r.actor, action: r.action, reason: r.reason }));
  }

  async recordChange(entryId: string, actor: string, action: string, reason: string | null, data: unknown): Promise<void> {
    await this.db.query('INSERT INTO entry_changes (entry_id, actor, action, reason, data) VALUES ($1, $2, $3, $4, $5)', [
      entryId,
      actor,
      action,
      reason,
      JSON.stringify(data),
    ]);
  }

  async subjectCount(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM subjects');
    return row?.n ?? 0;
  }
}
