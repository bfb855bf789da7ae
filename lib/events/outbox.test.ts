import { backends, type TestDatabase } from '../../test/support/backends.js';
import { openEventDatabase } from './eventTesting.js';
import { publish } from './outbox.js';
import { ensureEventTables } from './schema.js';

describe.each(backends)('outbox ($name)', (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openEventDatabase(backend, 'outbox');
  });
  afterEach(() => t.dispose());

  test('ensureEventTables can run again (every start) and keeps what is there', async () => {
    await t.db.transaction((tx) => publish(tx, { type: 'a', key: 'k', payload: null }));
    await ensureEventTables(t.db);
    await Promise.all([ensureEventTables(t.db), ensureEventTables(t.db)]);
    expect(await t.db.query('SELECT count(*) AS n FROM event_outbox')).toEqual([{ n: 1 }]);
  });

  test('a committed publish stores the event, undelivered, with its payload as JSON', async () => {
    const id = await t.db.transaction((tx) =>
      publish(tx, { type: 'listing.entryEffective', key: 'entry-1', payload: [{ subject: '91320583MA1MDEM00H', n: 1 }] }),
    );
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const rows = await t.db.query(
      "SELECT id, type, key, payload, jsonb_typeof(payload) AS kind, delivered_at, attempts, last_error, created_at <= now() AS past FROM event_outbox",
    );
    expect(rows).toEqual([
      {
        id,
        type: 'listing.entryEffective',
        key: 'entry-1',
        payload: [{ subject: '91320583MA1MDEM00H', n: 1 }],
        kind: 'array',
        delivered_at: null,
        attempts: 0,
        last_error: null,
        past: true,
      },
    ]);
  });

  test('a publish in a transaction that rolls back leaves nothing', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await publish(tx, { type: 'a', key: 'k', payload: { n: 1 } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await t.db.query('SELECT * FROM event_outbox')).toEqual([]);
  });

  test('an event needs a type and a key', async () => {
    await expect(publish(t.db, { type: '', key: 'k', payload: 1 })).rejects.toThrow('type');
    await expect(publish(t.db, { type: 'a', key: '', payload: 1 })).rejects.toThrow('key');
  });
});
