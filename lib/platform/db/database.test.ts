import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { backends, openTestDatabase, type TestDatabase } from '../../../test/kit/backends.js';
import { migrate } from './migrate.js';

describe.each(backends)('database access ($name)', (backend) => {
  let t: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    t = await openTestDatabase(backend, 'db');
    dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  });
  afterEach(async () => {
    await t.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  const migrations = () => pathToFileURL(`${dir}/`);

  test('migrations apply in name order, once each', async () => {
    await writeFile(join(dir, '002_more.sql'), 'ALTER TABLE things ADD COLUMN size int;');
    await writeFile(join(dir, '001_init.sql'), '-- the first table\nCREATE TABLE things (id text PRIMARY KEY);\nCREATE INDEX things_id ON things (id);');
    expect(await migrate(t.db, migrations())).toEqual(['001_init.sql', '002_more.sql']);
    expect(await migrate(t.db, migrations())).toEqual([]);
    await t.db.query('INSERT INTO things (id, size) VALUES ($1, $2)', ['a', 3]);
    expect(await t.db.query('SELECT id, size FROM things')).toEqual([{ id: 'a', size: 3 }]);
  });

  test('a failing migration leaves nothing of itself behind and is tried again next time', async () => {
    await writeFile(join(dir, '001_broken.sql'), 'CREATE TABLE half (id text);\nCREATE TABLE broken (id nonsense_type);');
    await expect(migrate(t.db, migrations())).rejects.toThrow(/nonsense_type/);
    expect(await t.db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half' AND table_schema = current_schema()")).toEqual([]);
    await writeFile(join(dir, '001_broken.sql'), 'CREATE TABLE half (id text);');
    expect(await migrate(t.db, migrations())).toEqual(['001_broken.sql']);
  });

  test('a transaction that throws writes nothing', async () => {
    await t.db.query('CREATE TABLE notes (body text)');
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query("INSERT INTO notes VALUES ('lost')");
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await t.db.query('SELECT * FROM notes')).toEqual([]);
  });

  test('dates read back as YYYY-MM-DD strings and counts as numbers, the same on every engine', async () => {
    const rows = await t.db.query("SELECT '2024-02-29'::date AS d, count(*) AS n FROM (VALUES (1), (2)) v(x)");
    expect(rows).toEqual([{ d: '2024-02-29', n: 2 }]);
  });

  test('statementCount counts every statement, inside transactions too', async () => {
    const before = t.db.statementCount;
    await t.db.query('SELECT 1');
    await t.db.transaction(async (tx) => {
      await tx.query('SELECT 2');
      await tx.query('SELECT 3');
    });
    expect(t.db.statementCount - before).toBe(3);
  });

  test('background work (relays, schedulers) uses the same database without counting', async () => {
    const before = t.db.statementCount;
    await t.db.background.query('SELECT 1');
    await t.db.background.transaction((tx) => tx.query('SELECT 2'));
    expect(t.db.statementCount).toBe(before);
    await t.db.background.query('CREATE TABLE seen (n int)');
    await t.db.query('INSERT INTO seen VALUES (1)');
    expect(await t.db.background.query('SELECT n FROM seen')).toEqual([{ n: 1 }]);
  });
});
