import { backends, type TestDatabase } from '../../../test/kit/backends.js';
import { deliveredEvent, openEventDatabase } from '../../../test/kit/events.js';
import { LISTINGS_EVENTS, type EntryExited } from '../../contracts/events/listings.js';
import { consumeEvents, publishEvent } from './typed.js';

/** The event catalogue at both ends: a publisher writes nothing it would not accept, a consumer parks what it cannot. */
describe.each(backends)('events checked against the catalogue ($name)', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openEventDatabase(backend, 'typed');
  });
  afterAll(() => t?.dispose());

  const exited: EntryExited = { entryId: 'e-1', subjectCode: '91320583MA1MDEM00H', kind: 'BLACK', way: 'EXPIRED', on: '2026-11-27' };
  const handled: EntryExited[] = [];
  const consume = consumeEvents({ [LISTINGS_EVENTS.exited]: async (_tx, payload) => void handled.push(payload) });
  const parked = () => t.db.query<{ type: string; reason: string }>('SELECT type, reason FROM event_parked ORDER BY parked_at');

  test('a valid event reaches its handler, once, with its checked payload', async () => {
    const event = deliveredEvent({ type: LISTINGS_EVENTS.exited, payload: exited });
    expect(await consume(t.db, event)).toBe(true);
    expect(await consume(t.db, event)).toBe(false);
    expect(handled).toEqual([exited]);
  });

  test.each([
    ['a missing field', { ...exited, on: undefined }, 1, /on/],
    ['a value outside the vocabulary', { ...exited, way: 'VANISHED' }, 1, /way/],
    ['a date that is not one', { ...exited, on: '27/11/2026' }, 1, /YYYY-MM-DD/],
    ['a version this consumer does not read', exited, 2, /version 2/],
  ])('%s: the event is parked with the reason, and nothing is applied', async (_, payload, version, reason) => {
    const before = handled.length;
    const event = deliveredEvent({ type: LISTINGS_EVENTS.exited, payload, version });
    expect(await consume(t.db, event)).toBe(false);
    expect(handled).toHaveLength(before);
    expect((await parked()).at(-1)).toEqual({ type: LISTINGS_EVENTS.exited, reason: expect.stringMatching(reason) });
    const [inbox] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM event_inbox WHERE event_id = $1', [event.id]);
    expect(inbox!.n).toBe(0);
  });

  test('an event of a type this consumer has no handler for is not its business: neither handled nor parked', async () => {
    const before = (await parked()).length;
    expect(await consume(t.db, deliveredEvent({ type: 'listings.entry.determined', payload: {} }))).toBe(false);
    expect(await parked()).toHaveLength(before);
  });

  test('a publisher refuses to write an event its consumers would park', async () => {
    const [before] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM event_outbox');
    await expect(
      t.db.transaction((tx) => publishEvent(tx, LISTINGS_EVENTS.exited, 'e-1', { ...exited, way: 'VANISHED' } as unknown as EntryExited)),
    ).rejects.toThrow(/refusing to publish/);
    const [after] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM event_outbox');
    expect(after!.n).toBe(before!.n);
    await t.db.transaction((tx) => publishEvent(tx, LISTINGS_EVENTS.exited, 'e-1', exited));
    const [row] = await t.db.query<{ version: number }>('SELECT version FROM event_outbox ORDER BY seq DESC LIMIT 1');
    expect(row!.version).toBe(1);
  });
});
