import { backends, openTestDatabase, type TestDatabase } from '../../test/kit/backends.js';
import { QueryLog } from './queryLog.js';
import { GENESIS_HASH, hashRecord, type QueryRecord } from './record.js';

const record = (overrides: Partial<QueryRecord> = {}): QueryRecord => ({
  at: new Date('2024-05-01T08:30:00.123Z'),
  tokenId: 'tok-1',
  clientId: 'tax-bureau-approvals',
  callerKind: 'DEPARTMENT',
  department: '国家税务总局苏州市税务局',
  purpose: 'administrative approval',
  operationHash: 'a'.repeat(64),
  subjects: ['91320583MA1MDEM00H'],
  fields: ['Person.idNumber'],
  policyVersion: '2024-05',
  ...overrides,
});

describe.each(backends)('query log ($name)', (backend) => {
  let t: TestDatabase;
  let log: QueryLog;
  beforeEach(async () => {
    t = await openTestDatabase(backend, 'audit');
    log = new QueryLog(t.db);
    await log.migrate();
  });
  afterEach(() => t.dispose());

  const appendMany = async (n: number) => {
    const stored = [];
    for (let i = 1; i <= n; i++) stored.push(await log.append(record({ subjects: [`S${i}`], at: new Date(Date.UTC(2024, 4, 1, 8, 0, i)) })));
    return stored;
  };
  /** What a superuser can do: switch the append-only trigger off, then change the table. */
  const tamper = async (sql: string, params: unknown[] = []) => {
    await t.db.query('ALTER TABLE query_log DISABLE TRIGGER ALL');
    await t.db.query(sql, params);
    await t.db.query('ALTER TABLE query_log ENABLE TRIGGER ALL');
  };

  test('an empty log is intact, with no head', async () => {
    expect(await log.verify()).toEqual({ ok: true, records: 0, head: null });
  });

  test('appended records form a chain from the genesis hash, and verify reports its count and head', async () => {
    const stored = await appendMany(3);
    expect(stored.map((s) => s.seq)).toEqual([1, 2, 3]);
    expect(stored[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < stored.length; i++) expect(stored[i]!.prevHash).toBe(stored[i - 1]!.hash);
    for (const s of stored) expect(s.hash).toBe(hashRecord(s.prevHash, s));
    expect(new Set(stored.map((s) => s.hash)).size).toBe(3);
    expect(await log.verify()).toEqual({ ok: true, records: 3, head: stored[2]!.hash });
  });

  test('a record reads back exactly as appended: nulls, arrays with awkward characters, milliseconds', async () => {
    const tricky = record({
      at: new Date('2024-02-29T23:59:59.987Z'),
      tokenId: null,
      clientId: null,
      department: null,
      purpose: null,
      subjects: ['110101199003077777', 'a,b', 'quote"brace{}', 'NULL', ''],
      fields: [],
    });
    const stored = await log.append(tricky);
    const [read] = await log.forSubject('a,b');
    expect(read).toEqual(stored);
    expect(read).toEqual({ ...tricky, seq: 1, prevHash: GENESIS_HASH, hash: hashRecord(GENESIS_HASH, tricky) });
    expect(read!.at.toISOString()).toBe('2024-02-29T23:59:59.987Z');
    expect(await log.verify()).toMatchObject({ ok: true, records: 1 });
  });

  test('forSubject returns only the records naming that subject, newest first, up to the limit', async () => {
    const a1 = await log.append(record({ subjects: ['A'] }));
    await log.append(record({ subjects: ['B'] }));
    const a2 = await log.append(record({ subjects: ['B', 'A'] }));
    const a3 = await log.append(record({ subjects: ['A'] }));
    expect((await log.forSubject('A')).map((r) => r.seq)).toEqual([a3.seq, a2.seq, a1.seq]);
    expect((await log.forSubject('A', 2)).map((r) => r.seq)).toEqual([a3.seq, a2.seq]);
    expect(await log.forSubject('C')).toEqual([]);
    await expect(log.forSubject('A', 0)).rejects.toThrow(/limit/);
  });

  test('UPDATE, DELETE and TRUNCATE through SQL are refused by the database', async () => {
    const [first] = await appendMany(2);
    await expect(t.db.query("UPDATE query_log SET purpose = 'none' WHERE seq = 1")).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(t.db.query('DELETE FROM query_log WHERE seq = 2')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(t.db.query('TRUNCATE query_log')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect((await log.forSubject('S1'))[0]).toEqual(first);
    expect(await log.verify()).toMatchObject({ ok: true, records: 2 });
  });

  test('a field changed behind the trigger breaks the chain at that record', async () => {
    await appendMany(3);
    await tamper("UPDATE query_log SET purpose = 'curiosity' WHERE seq = 2");
    expect(await log.verify()).toEqual({ ok: false, records: 1, brokenAt: 2, reason: expect.stringMatching(/hash does not match/) });
  });

  test('an array element or the time changed behind the trigger is detected too', async () => {
    await appendMany(3);
    await tamper("UPDATE query_log SET fields = ARRAY['Person.name'] WHERE seq = 3");
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: 3 });
    await tamper("UPDATE query_log SET fields = ARRAY['Person.idNumber'], at = at + interval '1 millisecond' WHERE seq = 3");
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  test('a record deleted from the middle breaks the chain at the next record', async () => {
    await appendMany(4);
    await tamper('DELETE FROM query_log WHERE seq = 2');
    expect(await log.verify()).toEqual({ ok: false, records: 1, brokenAt: 3, reason: expect.stringMatching(/expected seq 2, found 3/) });
  });

  test('a deletion hidden by renumbering still breaks the link', async () => {
    await appendMany(4);
    await tamper('DELETE FROM query_log WHERE seq = 2');
    await tamper('UPDATE query_log SET seq = seq - 1 WHERE seq > 2');
    expect(await log.verify()).toEqual({ ok: false, records: 1, brokenAt: 2, reason: expect.stringMatching(/prev_hash/) });
  });

  test('records swapped in order break the chain', async () => {
    await appendMany(3);
    await tamper('UPDATE query_log SET seq = -seq WHERE seq IN (2, 3)');
    await tamper('UPDATE query_log SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END WHERE seq < 0');
    expect(await log.verify()).toMatchObject({ ok: false, records: 1, brokenAt: 2 });
  });

  test('a well-formed forged record inserted in the middle breaks the link of the one after it', async () => {
    const stored = await appendMany(3);
    const forged = record({ subjects: ['FORGED'] });
    await tamper('UPDATE query_log SET seq = 4 WHERE seq = 3');
    await tamper(
      `INSERT INTO query_log (seq, at, token_id, client_id, caller_kind, department, purpose, operation_hash, subjects, fields, policy_version, prev_hash, hash)
       VALUES (3, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        forged.at.toISOString(),
        forged.tokenId,
        forged.clientId,
        forged.callerKind,
        forged.department,
        forged.purpose,
        forged.operationHash,
        forged.subjects,
        forged.fields,
        forged.policyVersion,
        stored[1]!.hash,
        hashRecord(stored[1]!.hash, forged),
      ],
    );
    expect(await log.verify()).toEqual({ ok: false, records: 3, brokenAt: 4, reason: expect.stringMatching(/prev_hash does not match the hash of seq 3/) });
  });

  test('a deleted tail leaves an intact chain: only the published count and head reveal it', async () => {
    const stored = await appendMany(3);
    const published = await log.verify();
    await tamper('DELETE FROM query_log WHERE seq = 3');
    const now = await log.verify();
    expect(now).toEqual({ ok: true, records: 2, head: stored[1]!.hash });
    expect(now).not.toEqual(published);
  });

  test('verify carries the chain across pages', async () => {
    const small = new QueryLog(t.db, { pageSize: 2 });
    const stored = await appendMany(5);
    expect(await small.verify()).toEqual({ ok: true, records: 5, head: stored[4]!.hash });
    await tamper('DELETE FROM query_log WHERE seq = 3');
    expect(await small.verify()).toMatchObject({ ok: false, records: 2, brokenAt: 4 });
    await tamper('DELETE FROM query_log WHERE seq > 3');
    expect(await small.verify()).toEqual({ ok: true, records: 2, head: stored[1]!.hash });
  });

  test('20 concurrent appends (each its own transaction) keep one unbroken chain', async () => {
    const stored = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(record({ subjects: [`C${i}`] }))));
    expect(stored.map((s) => s.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const head = stored.find((s) => s.seq === 20)!.hash;
    expect(await log.verify()).toEqual({ ok: true, records: 20, head });
  });

  test('an invalid date is refused before anything is written', async () => {
    await expect(log.append(record({ at: new Date('nonsense') }))).rejects.toThrow(RangeError);
    expect(await log.verify()).toEqual({ ok: true, records: 0, head: null });
  });
});
