import { isPublicEntry } from '../../lib/contracts/access.js';
import { LIST_KINDS } from '../../lib/contracts/vocabulary.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/kit/backends.js';
import { PUBLIC_ENTRY_SQL } from './store.js';

/** The public part of the lists is stated twice, once in TypeScript and once in SQL: they must agree on every entry. */
describe.each(backends)('the public part in SQL and in code ($name)', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend, 'visibility');
  });
  afterAll(() => t?.dispose());

  test('every kind, status and publication gives the same answer', async () => {
    const cases = LIST_KINDS.flatMap((kind) =>
      ['NOTICE', 'EFFECTIVE', 'EXITED'].flatMap((status) => [true, false].map((published) => ({ kind, status, published }))),
    );
    const rows = await t.db.query<{ kind: string; status: string; published: boolean; public: boolean }>(
      `SELECT e.kind, e.status, e.published, (${PUBLIC_ENTRY_SQL}) AS public
       FROM jsonb_to_recordset($1::jsonb) AS e(kind text, status text, published boolean)`,
      [JSON.stringify(cases)],
    );
    expect(rows).toHaveLength(cases.length);
    for (const row of rows) expect({ ...row, public: row.public }).toEqual({ ...row, public: isPublicEntry(row) });
    expect(rows.filter((r) => r.public).length).toBeGreaterThan(0);
  });
});
