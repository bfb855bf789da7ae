import { backends, type TestDatabase } from '../../../test/kit/backends.js';
import type { DeliveredEvent } from './bus.js';
import { deliveredEvent, openEventDatabase } from '../../../test/kit/events.js';
import { handleOnce } from './inbox.js';

const event = (): DeliveredEvent => deliveredEvent({ type: 'listing.entryEffective', key: 'entry-1', payload: { n: 1 } });

describe.each(backends)('inbox ($name)', (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openEventDatabase(backend, 'inbox');
    await t.db.query('CREATE TABLE tasks (event_id uuid)');
  });
  afterEach(() => t.dispose());
  const createTask = (e: DeliveredEvent) => handleOnce(t.db, e, (tx) => tx.query('INSERT INTO tasks VALUES ($1)', [e.id]).then(() => undefined));
  const tasks = () => t.db.query('SELECT event_id FROM tasks');

  test('the same event twice runs the handler once', async () => {
    const e = event();
    expect(await createTask(e)).toBe(true);
    expect(await createTask({ ...e })).toBe(false);
    expect(await tasks()).toEqual([{ event_id: e.id }]);
    expect(await t.db.query('SELECT event_id, source, type FROM event_inbox')).toEqual([{ event_id: e.id, source: 'listings', type: e.type }]);
  });

  test('different events each run', async () => {
    expect(await createTask(event())).toBe(true);
    expect(await createTask(event())).toBe(true);
    expect(await tasks()).toHaveLength(2);
  });

  test('a handler that throws records nothing, so the redelivery runs it', async () => {
    const e = event();
    await expect(
      handleOnce(t.db, e, async (tx) => {
        await tx.query('INSERT INTO tasks VALUES ($1)', [e.id]);
        throw new Error('enforcement database hiccup');
      }),
    ).rejects.toThrow('hiccup');
    expect(await tasks()).toEqual([]);
    expect(await t.db.query('SELECT * FROM event_inbox')).toEqual([]);
    expect(await createTask(e)).toBe(true);
    expect(await tasks()).toEqual([{ event_id: e.id }]);
  });

  test('duplicates arriving at the same time run the handler once', async () => {
    const e = event();
    const results = await Promise.all([createTask(e), createTask({ ...e }), createTask({ ...e })]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await tasks()).toHaveLength(1);
  });
});
