import { SharedFetches } from './shareFetches.js';

/** Fetches shared in flight: one fetch, and every request its own answer that no other request can change. */
describe('SharedFetches', () => {
  const deferred = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };

  test('requests that wait on one fetch each get their own copy: what one changes, the others never see', async () => {
    const shared = new SharedFetches<{ rows: { name: string }[] }>();
    const answer = deferred<{ rows: { name: string }[] }>();
    let fetches = 0;
    let rides = 0;
    const fetch = () => (fetches++, answer.promise);
    const first = shared.run('k', fetch, () => rides++);
    const second = shared.run('k', fetch, () => rides++);
    const third = shared.run('k', fetch, () => rides++);
    answer.resolve({ rows: [{ name: '甲' }] });
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(fetches).toBe(1);
    expect(rides).toBe(2);
    a.rows[0]!.name = 'changed by the first';
    b.rows.push({ name: 'added by the second' });
    expect(c).toEqual({ rows: [{ name: '甲' }] });
    expect(new Set([a, b, c]).size).toBe(3);
  });

  test('a failed fetch fails every request that waited on it, and the next request fetches again', async () => {
    const shared = new SharedFetches<string>();
    const failing = deferred<string>();
    const first = shared.run(
      'k',
      () => failing.promise,
      () => undefined,
    );
    const second = shared.run(
      'k',
      () => Promise.resolve('never asked'),
      () => undefined,
    );
    failing.reject(new Error('subgraph down'));
    await expect(first).rejects.toThrow('subgraph down');
    await expect(second).rejects.toThrow('subgraph down');
    await expect(
      shared.run(
        'k',
        () => Promise.resolve('fresh'),
        () => undefined,
      ),
    ).resolves.toBe('fresh');
  });

  test('a request after the answer came fetches again, and a null key never shares', async () => {
    const shared = new SharedFetches<number>();
    let fetches = 0;
    const fetch = async () => ++fetches;
    expect(await shared.run('k', fetch, () => undefined)).toBe(1);
    expect(await shared.run('k', fetch, () => undefined)).toBe(2);
    expect(await Promise.all([shared.run(null, fetch, () => undefined), shared.run(null, fetch, () => undefined)])).toEqual([3, 4]);
  });
});
