import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../../lib/platform/db/index.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/kit/backends.js';
import { QueryLog, QueryLogTimeout } from './queryLog.js';
import { GENESIS_HASH, hashRecord, type QueryRecord, type StoredRecord } from './record.js';

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

  test('an invalid date is refused before anything is written', async () => {
    await expect(log.append(record({ at: new Date('nonsense') }))).rejects.toThrow(RangeError);
    expect(await log.verify()).toEqual({ ok: true, records: 0, head: null });
  });

  test('without group commit, 20 concurrent appends (each its own transaction) keep one unbroken chain', async () => {
    const single = new QueryLog(t.db, { groupCommit: false });
    const stored = await Promise.all(Array.from({ length: 20 }, (_, i) => single.append(record({ subjects: [`C${i}`] }))));
    expect(single.batches).toBe(20);
    expect(stored.map((s) => s.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const head = stored.find((s) => s.seq === 20)!.hash;
    expect(await log.verify()).toEqual({ ok: true, records: 20, head });
    expect((await single.forSubject('C7')).map((r) => r.hash)).toEqual([stored[7]!.hash]);
  });

  /** Each call's records are consecutive, calls follow one another without gaps from `first`, and every hash is right. */
  const expectContiguous = (calls: StoredRecord[][], first: number) => {
    let next = first;
    for (const stored of calls) {
      expect(stored.map((s) => s.seq)).toEqual(stored.map((_, i) => next + i));
      for (const s of stored) expect(s.hash).toBe(hashRecord(s.prevHash, s));
      next += stored.length;
    }
  };

  test('200 concurrent callers share few transactions and get consecutive seqs in call order, each call its own run', async () => {
    const sizes = Array.from({ length: 200 }, (_, i) => 1 + (i % 5)); // 600 records: more than one batch
    const calls = await Promise.all(
      sizes.map((n, i) => log.appendAll(Array.from({ length: n }, (_, j) => record({ subjects: [`G${i}`], purpose: `call ${i} record ${j}` })))),
    );
    expect(calls.map((c) => c.length)).toEqual(sizes);
    expectContiguous(calls, 1);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]!.prevHash).toBe(calls[i - 1]!.at(-1)!.hash);
    expect(log.batches).toBeGreaterThan(1); // 500 records at most per transaction
    expect(log.batches).toBeLessThan(10);
    expect(await log.verify()).toEqual({ ok: true, records: 600, head: calls.at(-1)!.at(-1)!.hash });
  });

  test('callers appending one after another while a batch is in flight queue for the next batch; the chain stays whole', async () => {
    const rounds = 5;
    const perCaller = await Promise.all(
      Array.from({ length: 200 }, async (_, caller) => {
        const mine: StoredRecord[][] = [];
        for (let r = 0; r < rounds; r++) mine.push(await log.appendAll([record({ subjects: [`Q${caller}`] }), record({ subjects: [`Q${caller}`, 'ALL'] })]));
        return mine;
      }),
    );
    for (const mine of perCaller) {
      for (const stored of mine) expect(stored[1]!.seq).toBe(stored[0]!.seq + 1);
      for (let r = 1; r < rounds; r++) expect(mine[r]![0]!.seq).toBeGreaterThan(mine[r - 1]![1]!.seq);
    }
    const all = perCaller.flat(2).sort((a, b) => a.seq - b.seq);
    expect(all.map((s) => s.seq)).toEqual(all.map((_, i) => i + 1));
    expect(log.batches).toBeLessThan(200 * rounds);
    expect(await log.verify()).toEqual({ ok: true, records: 2000, head: all.at(-1)!.hash });
  });

  test('a batch the database refuses fails every call in it, writes nothing of it, and the log goes on', async () => {
    const [before] = await appendMany(2);
    const batches = log.batches;
    const refused = record({ callerKind: null as unknown as string }); // NOT NULL in the table
    const results = await Promise.allSettled([
      log.append(record({ subjects: ['INNOCENT1'] })),
      log.appendAll([record({ subjects: ['INNOCENT2'] }), refused]),
      log.append(record({ subjects: ['INNOCENT3'] })),
    ]);
    expect(log.batches).toBe(batches + 1); // all three in one transaction
    for (const r of results)
      expect(r).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/caller_kind/) }) });
    expect(await log.verify()).toMatchObject({ ok: true, records: 2 });
    expect(await log.forSubjects(['INNOCENT1', 'INNOCENT2', 'INNOCENT3'])).toEqual(
      new Map([
        ['INNOCENT1', []],
        ['INNOCENT2', []],
        ['INNOCENT3', []],
      ]),
    );
    const later = await log.append(record({ subjects: ['LATER'] }));
    expect(later).toMatchObject({ seq: 3 });
    expect(await log.verify()).toEqual({ ok: true, records: 3, head: later.hash });
    expect((await log.forSubject('S1'))[0]).toEqual(before);
  });

  test('a call that times out fails with QueryLogTimeout; one that times out while still queued is never written', async () => {
    await appendMany(1);
    let release = await holdQueryLog(t.db, backend.url);
    try {
      const first = log.append(record({ subjects: ['BLOCKED'] }), { timeoutMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 50)); // its batch is running (and blocked) by now
      const queued = log.append(record({ subjects: ['QUEUED'] }), { timeoutMs: 200 });
      await expect(queued).rejects.toBeInstanceOf(QueryLogTimeout);
      await release();
      expect(await first).toMatchObject({ seq: 2, subjects: ['BLOCKED'] });
      release = await holdQueryLog(t.db, backend.url);
      // our timer or the database's lock_timeout (the batch's), whichever comes first
      await expect(log.append(record({ subjects: ['TIMED OUT'] }), { timeoutMs: 200 })).rejects.toThrow();
    } finally {
      await release();
    }
    const later = await log.append(record({ subjects: ['LATER'] }));
    expect(await log.forSubject('QUEUED')).toEqual([]);
    expect(await log.verify()).toEqual({ ok: true, records: later.seq, head: later.hash });
  });

  test('two instances with pools of their own on one database keep one chain', async () => {
    const schema = (await t.db.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s;
    const otherDb: Database = backend.url ? await openDatabase({ url: backend.url, name: schema }) : t.db; // PGlite: one connection for all
    try {
      const other = new QueryLog(otherDb);
      const run = (which: QueryLog, name: string) =>
        Promise.all(
          Array.from({ length: 50 }, async (_, caller) => {
            const mine: StoredRecord[][] = [];
            for (let r = 0; r < 4; r++) mine.push(await which.appendAll([record({ subjects: [`${name}${caller}`] }), record({ subjects: [name] })]));
            return mine.flat();
          }),
        );
      const [a, b] = await Promise.all([run(log, 'A'), run(other, 'B')]);
      const all = [...a.flat(), ...b.flat()].sort((x, y) => x.seq - y.seq);
      expect(all.map((s) => s.seq)).toEqual(all.map((_, i) => i + 1));
      for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
      expect(await log.verify()).toEqual({ ok: true, records: 800, head: all.at(-1)!.hash });
      expect(await other.forSubject('B', 1000)).toHaveLength(200);
    } finally {
      if (otherDb !== t.db) await otherDb.close();
    }
  });

  test('forSubjects returns the newest `limit` records of each subject, newest first, a record once per subject', async () => {
    const a1 = await log.append(record({ subjects: ['A'] }));
    const b1 = await log.append(record({ subjects: ['B'] }));
    const ab = await log.append(record({ subjects: ['A', 'B', 'A'] }));
    const a2 = await log.append(record({ subjects: ['A'] }));
    await log.append(record({ subjects: ['D'] }));
    const seqs = (m: Map<string, StoredRecord[]>) => Object.fromEntries([...m].map(([code, records]) => [code, records.map((r) => r.seq)]));
    expect(seqs(await log.forSubjects(['A', 'B', 'C', 'A']))).toEqual({ A: [a2.seq, ab.seq, a1.seq], B: [ab.seq, b1.seq], C: [] });
    expect(seqs(await log.forSubjects(['B', 'A'], 2))).toEqual({ B: [ab.seq, b1.seq], A: [a2.seq, ab.seq] });
    expect((await log.forSubjects(['B'], 1)).get('B')).toEqual([ab]);
    expect(await log.forSubjects([])).toEqual(new Map());
    await expect(log.forSubjects(['A'], 0)).rejects.toThrow(/limit/);
  });

  test('forSubjects reads only the newest `limit` of a subject with many records (an index scan that stops)', async () => {
    for (let i = 0; i < 6; i++) await log.appendAll(Array.from({ length: 500 }, () => record({ subjects: ['HOT'] })));
    await log.appendAll(Array.from({ length: 50 }, (_, i) => record({ subjects: [`COLD${i}`] })));
    await t.db.query('ANALYZE');
    const [{ 'QUERY PLAN': plan }] = (await t.db.query(
      `EXPLAIN (ANALYZE, FORMAT JSON) SELECT s.seq FROM unnest($1::text[]) AS c(code)
       CROSS JOIN LATERAL (SELECT s.seq FROM query_log_subjects s WHERE s.subject = c.code ORDER BY s.seq DESC LIMIT $2) AS s`,
      [['HOT', 'COLD3'], 10],
    )) as [{ 'QUERY PLAN': unknown }];
    const nodes: Record<string, any>[] = [];
    const walk = (node: Record<string, any>) => {
      nodes.push(node);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk((plan as [{ Plan: Record<string, any> }])[0].Plan);
    const scans = nodes.filter((n) => n['Relation Name'] === 'query_log_subjects');
    expect(scans).toEqual([expect.objectContaining({ 'Node Type': expect.stringMatching(/^Index (Only )?Scan$/), 'Scan Direction': 'Backward' })]);
    expect(scans[0]!['Actual Rows'] * scans[0]!['Actual Loops']).toBeLessThanOrEqual(20); // 10 of HOT's 3000 and 1 of COLD3 (rows per loop are averaged, rounded)
    const hot = (await log.forSubjects(['HOT'], 10)).get('HOT')!;
    expect(hot.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 3000 - i));
  });

  test('a process killed mid-batch has lost no record it acknowledged', async () => {
    const schema = (await t.db.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s;
    const dataDir = backend.url ? undefined : await mkdtemp(join(tmpdir(), 'query-log-crash-'));
    try {
      const acknowledged = await appendUntilKilled(
        backend.url ? { APPEND_DATABASE_URL: backend.url, APPEND_SCHEMA: schema } : { APPEND_DATA_DIR: dataDir! },
        300,
      );
      expect(acknowledged.size).toBeGreaterThanOrEqual(300);
      const db = backend.url ? t.db : await openDatabase({ name: 'crash', dataDir: dataDir! });
      try {
        const after = new QueryLog(db);
        const verified = await after.verify();
        expect(verified).toMatchObject({ ok: true });
        const rows = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM query_log WHERE seq = ANY($1::bigint[])', [[...acknowledged.keys()]]);
        expect(new Map(rows.map((r) => [r.seq, r.hash]))).toEqual(acknowledged);
      } finally {
        if (db !== t.db) await db.close();
      }
    } finally {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** Runs test/kit/appendAndDie.ts, kills it with SIGKILL once it acknowledged `atLeast` records; returns all it acknowledged (seq → hash). */
async function appendUntilKilled(env: Record<string, string>, atLeast: number): Promise<Map<number, string>> {
  const script = fileURLToPath(new URL('../../test/kit/appendAndDie.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, NODE_OPTIONS: '', APPENDERS: '32', APPEND_COMMIT_DELAY_MS: '20', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acknowledged = new Map<number, string>();
  let partial = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!; // an unfinished line is no acknowledgement
    for (const line of lines) {
      const [seq, hash] = line.split(' ');
      acknowledged.set(Number(seq), hash!);
    }
    if (acknowledged.size >= atLeast) child.kill('SIGKILL');
  });
  const [code, signal] = (await new Promise((resolve) => child.once('close', (...args) => resolve(args)))) as [number | null, string | null];
  if (signal !== 'SIGKILL') throw new Error(`the appending process ended by itself (${code}): ${stderr}`);
  return acknowledged;
}

/**
 * Holds the query log locked, as a long-running administrative statement would: on PostgreSQL the table from another
 * connection; in PGlite (one connection) a transaction that does not end until released.
 */
async function holdQueryLog(db: Database, url: string | undefined): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const holding = new Promise<void>((resolve) => (locked = resolve));
  const schema = url ? (await db.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s : null;
  const other = url && schema ? await openDatabase({ url, name: schema }) : null;
  const done = (other ?? db).transaction(async (tx) => {
    if (other) await tx.query('LOCK TABLE query_log IN ACCESS EXCLUSIVE MODE');
    locked();
    await released;
  });
  await holding;
  return async () => {
    release();
    await done;
    await other?.close();
  };
}
