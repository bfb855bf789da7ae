import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { MemoryRateLimiter, openRateLimiter, type RateLimiter } from './index.js';

const redisUrl = process.env.REDIS_URL;
// One namespace per run (and one per test under it), so parallel runs and earlier runs never meet.
const runPrefix = `credit-graph:test:rate:${randomUUID()}:`;
let opened = 0;

interface Subject {
  limiter: RateLimiter;
  /** Let this much time pass, on the limiter's clock. */
  pass(seconds: number): Promise<void>;
}

interface Backend {
  name: string;
  open(): Promise<Subject>;
}

const memory: Backend = {
  name: 'in-process',
  async open() {
    let clock = 1_000_000;
    const limiter = await openRateLimiter(undefined, { now: () => clock });
    return { limiter, pass: async (seconds) => void (clock += seconds * 1000) };
  },
};

const redis: Backend = {
  name: 'redis',
  async open() {
    const prefix = `${runPrefix}${++opened}:`;
    const limiter = await openRateLimiter(redisUrl, { prefix });
    return { limiter, pass: (seconds) => sleep(seconds * 1000 + 100) };
  },
};

const backends = redisUrl ? [memory, redis] : [memory];

// For looking at and cleaning up this run's keys in Redis.
let admin: Redis | undefined;
beforeAll(() => {
  if (redisUrl) admin = new Redis(redisUrl);
});
afterAll(async () => {
  if (!admin) return;
  const keys = await admin.keys(`${runPrefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

describe.each(backends)('rate limiter ($name)', (backend) => {
  let s: Subject;
  beforeEach(async () => {
    s = await backend.open();
  });
  afterEach(async () => {
    await s.limiter.close();
  });

  test('requests within the limit are allowed, remaining counting down; the next is refused until a slot frees', async () => {
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push(await s.limiter.consume('bank-a', 3, 60));
    expect(decisions).toEqual([2, 1, 0].map((remaining) => ({ allowed: true, limit: 3, remaining, retryAfterSeconds: 0 })));
    const refused = await s.limiter.consume('bank-a', 3, 60);
    expect(refused).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  test('each client has its own allowance', async () => {
    expect((await s.limiter.consume('bank-a', 1, 60)).allowed).toBe(true);
    expect((await s.limiter.consume('bank-a', 1, 60)).allowed).toBe(false);
    expect(await s.limiter.consume('bank-b', 1, 60)).toMatchObject({ allowed: true, remaining: 0 });
  });

  test('once the window has passed, requests are allowed again', async () => {
    await s.limiter.consume('bank-a', 2, 1);
    await s.limiter.consume('bank-a', 2, 1);
    expect(await s.limiter.consume('bank-a', 2, 1)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    await s.pass(1.1);
    expect(await s.limiter.consume('bank-a', 2, 1)).toMatchObject({ allowed: true, remaining: 1 });
  });

  test('concurrent requests: exactly the limit get through', async () => {
    const decisions = await Promise.all(Array.from({ length: 20 }, () => s.limiter.consume('bank-a', 10, 60)));
    const allowed = decisions.filter((d) => d.allowed);
    expect(allowed).toHaveLength(10);
    expect(allowed.map((d) => d.remaining).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('a request may cost several: all or nothing, and the refusal says when that much is free again', async () => {
    expect(await s.limiter.consume('lookups', 10, 60, 4)).toMatchObject({ allowed: true, remaining: 6 });
    expect(await s.limiter.consume('lookups', 10, 60, 4)).toMatchObject({ allowed: true, remaining: 2 });
    const refused = await s.limiter.consume('lookups', 10, 60, 3);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(await s.limiter.consume('lookups', 10, 60, 2)).toMatchObject({ allowed: true, remaining: 0 });
    await expect(s.limiter.consume('lookups', 10, 60, 11)).rejects.toThrow(RangeError);
  });

  test.each([
    ['an empty key', '', 1, 1],
    ['a limit below 1', 'bank-a', 0, 1],
    ['a fractional limit', 'bank-a', 1.5, 1],
    ['a zero window', 'bank-a', 1, 0],
    ['a negative window', 'bank-a', 1, -5],
    ['a window that is not a number', 'bank-a', 1, Number.NaN],
  ])('%s is a RangeError', async (_, key, limit, window) => {
    await expect(s.limiter.consume(key, limit, window)).rejects.toThrow(RangeError);
  });
});

describe('in-process rate limiter', () => {
  test('the window slides: a slot frees when its own request is a window old, not at a boundary', async () => {
    let clock = 0;
    const limiter = new MemoryRateLimiter({ now: () => clock });
    await limiter.consume('bank-a', 3, 10);
    await limiter.consume('bank-a', 3, 10);
    clock = 4000;
    await limiter.consume('bank-a', 3, 10);
    expect(await limiter.consume('bank-a', 3, 10)).toMatchObject({ allowed: false, retryAfterSeconds: 6 });
    clock = 10_001; // the first two have left the window, the third has not
    expect(await limiter.consume('bank-a', 3, 10)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.consume('bank-a', 3, 10)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await limiter.consume('bank-a', 3, 10)).toMatchObject({ allowed: false, retryAfterSeconds: 4 });
    await limiter.close();
  });

  test('keys whose window has passed are evicted', async () => {
    let clock = 0;
    const limiter = new MemoryRateLimiter({ now: () => clock, sweepEveryMs: 1000 });
    for (let i = 0; i < 100; i++) await limiter.consume(`bank-${i}`, 5, 2);
    expect(limiter.size).toBe(100);
    clock = 2500;
    await limiter.consume('bank-new', 5, 2);
    expect(limiter.size).toBe(1);
    await limiter.close();
  });
});

// Redis-only behaviour runs where Redis is configured (REDIS_URL; .ci/run sets it), like the database tests.
if (redisUrl)
  describe('redis rate limiter', () => {
    // Closed after each test even when an assertion fails, so a failing run ends instead of hanging on sockets.
    const open: RateLimiter[] = [];
    const openTracked = async (prefix: string) => {
      const limiter = await openRateLimiter(redisUrl, { prefix });
      open.push(limiter);
      return limiter;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((limiter) => limiter.close()));
    });

    test('keys carry the prefix and expire by themselves', async () => {
      const prefix = `${runPrefix}ttl:`;
      await (await openTracked(prefix)).consume('bank-a', 5, 30);
      expect(await admin!.keys(`${prefix}*`)).toEqual([`${prefix}bank-a`]);
      const ttl = await admin!.pttl(`${prefix}bank-a`);
      expect(ttl).toBeGreaterThan(25_000);
      expect(ttl).toBeLessThanOrEqual(30_000);
    });

    test('two gateway instances share one allowance', async () => {
      const prefix = `${runPrefix}shared:`;
      const [a, b] = await Promise.all([openTracked(prefix), openTracked(prefix)]);
      const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).consume('bank-a', 4, 60)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(4);
    });
  });

describe('openRateLimiter', () => {
  test('without a Redis URL it is the in-process limiter', async () => {
    const limiter = await openRateLimiter();
    expect(limiter).toBeInstanceOf(MemoryRateLimiter);
    await limiter.close();
  });

  test('an unreachable Redis fails quickly and says where, without the password', async () => {
    const started = Date.now();
    const attempt = openRateLimiter('redis://user:s3cret@127.0.0.1:1');
    await expect(attempt).rejects.toThrow(/^Rate limiter cannot reach Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:1.*ECONNREFUSED/);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('a server that accepts but never answers is a timeout at startup, not a hang', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      await expect(openRateLimiter(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 300 })).rejects.toThrow(
        `Rate limiter cannot reach Redis at redis://127.0.0.1:${port}`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
