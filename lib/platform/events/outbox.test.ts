import { backends, type TestDatabase } from '../../../test/kit/backends.js';
import { openEventDatabase } from '../../../test/kit/events.js';
import { forgetKey, publish, pruneDelivered } from './outbox.js';
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
      'SELECT id, type, key, payload, jsonb_typeof(payload) AS kind, delivered_at, attempts, last_error, created_at <= now() AS past FROM event_outbox',
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

  const keysLeft = async () => (await t.db.query<{ key: string }>('SELECT key FROM event_outbox ORDER BY seq')).map((r) => r.key);

  test('housekeeping deletes events delivered longer ago than the retention; undelivered ones stay, however old', async () => {
    for (const key of ['delivered-8-days-ago', 'delivered-1-hour-ago', 'undelivered-30-days-old']) await publish(t.db, { type: 'a', key, payload: null });
    await t.db.query("UPDATE event_outbox SET delivered_at = now() - interval '8 days' WHERE key = 'delivered-8-days-ago'");
    await t.db.query("UPDATE event_outbox SET delivered_at = now() - interval '1 hour' WHERE key = 'delivered-1-hour-ago'");
    await t.db.query("UPDATE event_outbox SET created_at = now() - interval '30 days' WHERE key = 'undelivered-30-days-old'");
    expect(await pruneDelivered(t.db, 7 * 86_400_000)).toBe(1);
    expect(await keysLeft()).toEqual(['delivered-1-hour-ago', 'undelivered-30-days-old']);
  });

  test('forgetKey removes every event of a key, delivered or not, and no other (L8a)', async () => {
    for (const key of ['entry-1', 'entry-1', 'entry-2']) await publish(t.db, { type: 'a', key, payload: { key } });
    await t.db.query('UPDATE event_outbox SET delivered_at = now() WHERE seq = (SELECT min(seq) FROM event_outbox)');
    await t.db.transaction((tx) => forgetKey(tx, 'entry-1'));
    expect(await keysLeft()).toEqual(['entry-2']);
  });

  test('an event needs a type and a key', async () => {
    await expect(publish(t.db, { type: '', key: 'k', payload: 1 })).rejects.toThrow('type');
    await expect(publish(t.db, { type: 'a', key: '', payload: 1 })).rejects.toThrow('key');
  });
});
