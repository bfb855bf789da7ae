import { deliveredEvent } from '../../test/kit/events.js';
import { randomUUID } from 'node:crypto';
import { SimulatedClock } from '../../lib/platform/clock.js';
import type { DeliveredEvent } from '../../lib/platform/events/index.js';
import { LISTINGS_EVENTS, type EntryDetermined } from '../../lib/contracts/events/listings.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/kit/backends.js';
import { callerOf } from '../../test/kit/callers.js';
import { execute } from '../../test/kit/execute.js';
import { onListingsEvent } from './inbound.js';
import { knownEntry } from './parties.js';
import { NOT_YET_PROGRESSED } from './model.js';
import { createRepairServer } from './server.js';
import { RepairStore } from './store.js';
import { DEFAULT_REPAIR_TERMS, objectionTermsFor } from './terms.js';

const CODE = '91310115MA1K3YJ19X';
const delivered = (type: string, payload: unknown, key = 'entry'): DeliveredEvent => deliveredEvent({ type, key, payload });
const determined = (entryId: string, extra: Partial<EntryDetermined> = {}): EntryDetermined => ({
  entryId,
  subjectCode: CODE,
  region: '310115',
  kind: 'BLACK',
  field: 'TAX',
  authority: 'STA',
  status: 'EFFECTIVE',
  determinedOn: '2025-03-03',
  validUntil: '2028-03-03',
  severity: 'SERIOUS',
  repairable: true,
  repairableFrom: null,
  ...extra,
});

describe('jurisdictions (R1: limits are configuration)', () => {
  test("the longest configured prefix of the subject's region wins; elsewhere the national default", () => {
    expect(objectionTermsFor(DEFAULT_REPAIR_TERMS, '310115').name).toBe('Shanghai');
    expect(objectionTermsFor(DEFAULT_REPAIR_TERMS, '440106').name).toBe('Guangzhou');
    expect(objectionTermsFor(DEFAULT_REPAIR_TERMS, '440300').name).toBe('national');
    expect(objectionTermsFor(DEFAULT_REPAIR_TERMS, null).name).toBe('national');
    const custom = {
      ...DEFAULT_REPAIR_TERMS,
      jurisdictions: { ...DEFAULT_REPAIR_TERMS.jurisdictions, '44': { ...DEFAULT_REPAIR_TERMS.jurisdictions.default!, name: 'Guangdong' } },
    };
    expect([objectionTermsFor(custom, '440106').name, objectionTermsFor(custom, '440300').name]).toEqual(['Guangzhou', 'Guangdong']);
  });
});

describe.each(backends)('repair subgraph in process ($name)', (backend) => {
  let t: TestDatabase;
  let service: ReturnType<typeof createRepairServer>;
  const clock = new SimulatedClock('2026-06-01');
  beforeAll(async () => {
    t = await openTestDatabase(backend, 'repair');
    service = createRepairServer({ db: t.db, clock });
    await service.migrate();
    await service.apollo.start();
  });
  afterAll(async () => {
    await service?.apollo.stop();
    await t?.dispose();
  });
  const subject = callerOf('subject', { subject: CODE, scopes: ['repair:apply'] });
  const count = async (table: string, entryId: string) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE entry_id = $1`, [entryId]))[0]!.n;

  test("listings' events build the projection once each, however often they arrive", async () => {
    const entryId = randomUUID();
    const event = delivered(LISTINGS_EVENTS.determined, determined(entryId));
    expect(await onListingsEvent(t.db, event)).toBe(true);
    expect(await onListingsEvent(t.db, event)).toBe(false);
    // the same entry announced again under another event id (a replayed outbox) changes nothing either
    expect(await onListingsEvent(t.db, delivered(LISTINGS_EVENTS.determined, determined(entryId, { authority: 'MEE' })))).toBe(true);
    expect(await t.db.query('SELECT authority, status, severity FROM entries WHERE entry_id = $1', [entryId])).toEqual([
      { authority: 'STA', status: 'EFFECTIVE', severity: 'SERIOUS' },
    ]);
    await onListingsEvent(t.db, delivered(LISTINGS_EVENTS.exited, { entryId, subjectCode: CODE, kind: 'BLACK', way: 'EXPIRED', on: '2026-05-01' }));
    expect(await t.db.query('SELECT status, exit_way FROM entries WHERE entry_id = $1', [entryId])).toEqual([{ status: 'EXITED', exit_way: 'EXPIRED' }]);
    // events of other types are not repair's
    expect(await onListingsEvent(t.db, delivered('repair.application.approved', { entryId }))).toBe(false);
  });

  test('R7: an application is written with nothing else, and its approval with its event, in one transaction each', async () => {
    const entryId = randomUUID();
    await onListingsEvent(t.db, delivered(LISTINGS_EVENTS.determined, determined(entryId)));
    await execute(service, 'mutation { makeCommitment(text: "承诺") { id } }', {}, subject);
    await execute(
      service,
      'mutation($i: TrainingInput!) { recordTraining(input: $i) { id } }',
      { i: { provider: 'p', certificate: 'c1', hours: 3, completedOn: '2026-05-01' } },
      subject,
    );
    await execute(
      service,
      'mutation($i: CreditReportInput!) { submitCreditReport(input: $i) { id } }',
      { i: { agency: 'CCX', reportNumber: 'r1', issuedOn: '2026-05-01' } },
      subject,
    );
    const applied = await execute<{ applyForRepair: { id: string; dueBy: string } }>(
      service,
      'mutation($i: RepairApplicationInput!) { applyForRepair(input: $i) { id dueBy } }',
      { i: { entryId, corrected: '已整改', obligationsMet: '已履行' } },
      subject,
    );
    expect(applied.errors).toBeUndefined();
    expect(applied.data!.applyForRepair.dueBy).toBe('2026-06-04'); // 3 working days
    const outbox = async () => t.db.query('SELECT type, payload FROM event_outbox WHERE key = $1', [entryId]);
    expect(await outbox()).toEqual([]);

    // a decision that fails part-way (a wrong reason) writes nothing and publishes nothing
    const sta = callerOf('department', { department: 'STA', scopes: ['repair:decide'] });
    const id = applied.data!.applyForRepair.id;
    const blank = await execute(
      service,
      'mutation($i: DecideRepairInput!) { decideRepair(input: $i) { status } }',
      { i: { id, approve: true, reason: ' ' } },
      sta,
    );
    expect(blank.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'reason' });
    expect(await outbox()).toEqual([]);
    const approved = await execute(
      service,
      'mutation($i: DecideRepairInput!) { decideRepair(input: $i) { status decidedOn } }',
      { i: { id, approve: true, reason: '准予' } },
      sta,
    );
    expect(approved.data).toEqual({ decideRepair: { status: 'APPROVED', decidedOn: '2026-06-01' } });
    expect(await outbox()).toEqual([{ type: 'repair.application.approved', payload: { entryId, on: '2026-06-01', reason: '准予' } }]);
  });

  test('R1, R2: an approval waits while an objection against the entry is open (upheld, it deletes the entry: no focus may follow)', async () => {
    const entryId = randomUUID();
    await onListingsEvent(t.db, delivered(LISTINGS_EVENTS.determined, determined(entryId)));
    const n = randomUUID().slice(0, 8);
    await execute(service, 'mutation { makeCommitment(text: "承诺") { id } }', {}, subject);
    await execute(
      service,
      'mutation($i: TrainingInput!) { recordTraining(input: $i) { id } }',
      { i: { provider: 'p', certificate: `c-${n}`, hours: 3, completedOn: '2026-05-01' } },
      subject,
    );
    await execute(
      service,
      'mutation($i: CreditReportInput!) { submitCreditReport(input: $i) { id } }',
      { i: { agency: 'CCX', reportNumber: `r-${n}`, issuedOn: '2026-05-01' } },
      subject,
    );
    const applied = await execute<{ applyForRepair: { id: string } }>(
      service,
      'mutation($i: RepairApplicationInput!) { applyForRepair(input: $i) { id } }',
      { i: { entryId, corrected: '已整改', obligationsMet: '已履行' } },
      subject,
    );
    expect(applied.errors).toBeUndefined();
    const filed = await execute<{ fileObjection: { id: string } }>(
      service,
      'mutation($i: FileObjectionInput!) { fileObjection(input: $i) { id } }',
      { i: { entryId, grounds: '认定有误' } },
      subject,
    );
    const sta = callerOf('department', { department: 'STA', scopes: ['repair:decide'] });
    const DECIDE = 'mutation($i: DecideRepairInput!) { decideRepair(input: $i) { status } }';
    const id = applied.data!.applyForRepair.id;
    const early = await execute(service, DECIDE, { i: { id, approve: true, reason: '准予' } }, sta);
    expect(early.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', rule: 'R2', objection: filed.data!.fileObjection.id });
    expect(await t.db.query('SELECT status FROM repair_applications WHERE id = $1', [id])).toEqual([{ status: 'APPLIED' }]);
    expect(await t.db.query("SELECT 1 FROM event_outbox WHERE key = $1 AND type = 'repair.application.approved'", [entryId])).toEqual([]);
    // once it is decided (here: refused), the approval goes through
    await execute(service, 'mutation($id: ID!) { refuseObjection(id: $id, reason: "材料不全") { id } }', { id: filed.data!.fileObjection.id }, sta);
    expect((await execute(service, DECIDE, { i: { id, approve: true, reason: '准予' } }, sta)).data).toEqual({ decideRepair: { status: 'APPROVED' } });
  });

  test('R2, L8(a): a deleted entry is forgotten — rectifications, interviews, applications; objections keep their outcome only, and one still open is closed', async () => {
    const entryId = randomUUID();
    await onListingsEvent(t.db, delivered(LISTINGS_EVENTS.determined, determined(entryId)));
    const sta = callerOf('department', { department: 'STA', scopes: ['repair:decide'] });
    await execute(
      service,
      'mutation($i: RectificationInput!) { requireRectification(input: $i) { id } }',
      { i: { entryId, requirements: '补缴', deadline: '2026-06-10' } },
      sta,
    );
    const filed = await execute<{ fileObjection: { id: string } }>(
      service,
      'mutation($i: FileObjectionInput!) { fileObjection(input: $i) { id } }',
      { i: { entryId, grounds: '认定有误' } },
      subject,
    );
    const deleted = delivered(LISTINGS_EVENTS.deleted, { entryId, subjectCode: CODE });
    await onListingsEvent(t.db, deleted);
    await onListingsEvent(t.db, deleted);
    for (const table of ['entries', 'rectifications', 'interviews', 'repair_applications', 'objections'])
      expect([table, await count(table, entryId)]).toEqual([table, 0]);
    // nothing is left to decide: it leaves the authority's pending work instead of turning overdue there for ever
    expect(await t.db.query('SELECT status, grounds, due_by, decided_on FROM objections WHERE id = $1', [filed.data!.fileObjection.id])).toEqual([
      { status: 'CLOSED', grounds: null, due_by: null, decided_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    ]);
    const pending = await execute<{ objectionsToDecide: { id: string }[] }>(service, '{ objectionsToDecide { id } }', {}, sta);
    expect(pending.data!.objectionsToDecide.map((o) => o.id)).not.toContain(filed.data!.fileObjection.id);
  });

  test('R2, L8(a): a filing that holds the entry when its deletion arrives is closed and emptied too, not left behind', async () => {
    const entryId = randomUUID();
    await onListingsEvent(t.db, delivered(LISTINGS_EVENTS.determined, determined(entryId)));
    let hasLock!: () => void;
    let release!: () => void;
    const locked = new Promise<void>((r) => (hasLock = r));
    const released = new Promise<void>((r) => (release = r));
    const id = randomUUID();
    // what fileObjection does, paused between taking the entry and writing the objection
    const filing = t.db.transaction(async (tx) => {
      const store = new RepairStore(tx);
      const entry = await knownEntry(store, entryId);
      hasLock();
      await released;
      await store.insertObjection({
        id,
        kind: 'OBJECTION',
        entryId,
        subjectCode: CODE,
        authority: entry.authority,
        filedBy: CODE,
        grounds: '认定有误 L8a-并发',
        evidence: null,
        status: 'FILED',
        filedOn: '2026-06-01',
        dueBy: '2026-06-04',
        ...NOT_YET_PROGRESSED,
        reconsiders: null,
      });
    });
    await locked;
    const deletion = onListingsEvent(t.db, delivered(LISTINGS_EVENTS.deleted, { entryId, subjectCode: CODE }));
    await new Promise((r) => setTimeout(r, 200)); // the deletion is now waiting for the entry (PostgreSQL) or the database (PGlite)
    release();
    await filing;
    await deletion;
    expect(await t.db.query('SELECT status, entry_id, grounds FROM objections WHERE id = $1', [id])).toEqual([
      { status: 'CLOSED', entry_id: null, grounds: null },
    ]);
  });

  test('R2: an entry listings restored into its notice period takes objections again (L4)', async () => {
    const entryId = randomUUID();
    await onListingsEvent(t.db, delivered(LISTINGS_EVENTS.determined, determined(entryId, { kind: 'RED', status: 'NOTICE', severity: null })));
    await onListingsEvent(t.db, delivered(LISTINGS_EVENTS.exited, { entryId, subjectCode: CODE, kind: 'RED', way: 'SUPERSEDED', on: '2026-05-01' }));
    const FILE = 'mutation($i: FileObjectionInput!) { fileObjection(input: $i) { status } }';
    expect((await execute(service, FILE, { i: { entryId, grounds: '认定有误' } }, subject)).errors![0]!.extensions!.code).toBe('ILLEGAL_TRANSITION');
    await onListingsEvent(t.db, delivered(LISTINGS_EVENTS.restored, { entryId, subjectCode: CODE, status: 'NOTICE' }));
    expect(await t.db.query('SELECT status, exit_way FROM entries WHERE entry_id = $1', [entryId])).toEqual([{ status: 'NOTICE', exit_way: null }]);
    expect((await execute(service, FILE, { i: { entryId, grounds: '认定有误' } }, subject)).data).toEqual({ fileObjection: { status: 'FILED' } });
  });

  test("R2: a repair decision and the entry's deletion take their locks in one order (entry first): no deadlock on PostgreSQL", async () => {
    const entryId = randomUUID();
    await onListingsEvent(t.db, delivered(LISTINGS_EVENTS.determined, determined(entryId)));
    const n = randomUUID().slice(0, 8);
    await execute(
      service,
      'mutation($i: TrainingInput!) { recordTraining(input: $i) { id } }',
      { i: { provider: 'p', certificate: `c-${n}`, hours: 3, completedOn: '2026-05-01' } },
      subject,
    );
    await execute(
      service,
      'mutation($i: CreditReportInput!) { submitCreditReport(input: $i) { id } }',
      { i: { agency: 'CCX', reportNumber: `r-${n}`, issuedOn: '2026-05-01' } },
      subject,
    );
    await execute(service, 'mutation { makeCommitment(text: "承诺") { id } }', {}, subject);
    const applied = await execute<{ applyForRepair: { id: string } }>(
      service,
      'mutation($i: RepairApplicationInput!) { applyForRepair(input: $i) { id } }',
      { i: { entryId, corrected: '已整改', obligationsMet: '已履行' } },
      subject,
    );
    let hasLock!: () => void;
    let release!: () => void;
    const locked = new Promise<void>((r) => (hasLock = r));
    const released = new Promise<void>((r) => (release = r));
    // the deletion, paused after its first lock (the entry); then it needs the application
    const deletion = t.db.transaction(async (tx) => {
      await new RepairStore(tx).entryForUpdate(entryId);
      hasLock();
      await released;
      await new RepairStore(tx).forgetEntry(entryId, '2026-06-01');
    });
    await locked;
    const sta = callerOf('department', { department: 'STA', scopes: ['repair:decide'] });
    const decision = execute(
      service,
      'mutation($i: DecideRepairInput!) { decideRepair(input: $i) { status } }',
      { i: { id: applied.data!.applyForRepair.id, approve: true, reason: '准予' } },
      sta,
    );
    await new Promise((r) => setTimeout(r, 200)); // the decision now waits (for the entry, or for the database on PGlite)
    release();
    await expect(deletion).resolves.toBeUndefined();
    expect((await decision).errors![0]!.extensions!.code).toBe('NOT_FOUND'); // the application went with the entry
  });

  test('R1: the same decision sent twice at once is taken once; so is the same objection filed twice at once', async () => {
    const entryId = randomUUID();
    await onListingsEvent(t.db, delivered(LISTINGS_EVENTS.determined, determined(entryId)));
    const FILE = 'mutation($i: FileObjectionInput!) { fileObjection(input: $i) { id } }';
    const filings = await Promise.all(
      [1, 2].map(() => execute<{ fileObjection: { id: string } }>(service, FILE, { i: { entryId, grounds: '认定有误' } }, subject)),
    );
    expect(filings.map((r) => r.errors?.[0]?.extensions?.code ?? 'ok').sort()).toEqual(['CONFLICT', 'ok']);
    const id = filings.find((r) => !r.errors)!.data!.fileObjection.id;

    const sta = callerOf('department', { department: 'STA', scopes: ['repair:decide'] });
    await execute(service, 'mutation($id: ID!) { acceptObjection(id: $id) { id } }', { id }, sta);
    await execute(service, 'mutation($id: ID!) { verifyObjection(id: $id, findings: "核实") { id } }', { id }, sta);
    const DECIDE = 'mutation($i: DecideObjectionInput!) { decideObjection(input: $i) { status } }';
    const decisions = await Promise.all([
      execute(service, DECIDE, { i: { id, upheld: false, reason: '驳回' } }, sta),
      execute(service, DECIDE, { i: { id, upheld: true, reason: '成立', apology: '致歉', clarification: '澄清' } }, sta),
    ]);
    expect(decisions.filter((r) => !r.errors)).toHaveLength(1);
    expect(decisions.find((r) => r.errors)!.errors![0]!.extensions!.code).toBe('ILLEGAL_TRANSITION');
    const sent = await t.db.query<{ type: string }>("SELECT type FROM event_outbox WHERE key = $1 AND type = 'repair.objection.decided'", [entryId]);
    expect(sent).toHaveLength(1);
  });
});
