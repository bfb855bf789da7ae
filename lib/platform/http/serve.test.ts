import { connect } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { serve, type Listening } from './serve.js';

/** HTTP hygiene of every service: slow clients are cut off, close drains what is in flight. */
describe('serve', () => {
  let release: () => void = () => undefined;
  const apollo = new ApolloServer({
    typeDefs: 'type Query { slow: String fast: String }',
    resolvers: { Query: { slow: () => new Promise((resolve) => (release = () => resolve('done'))), fast: () => 'ok' } },
  });
  beforeAll(() => apollo.start());
  afterAll(() => apollo.stop());

  const start = (options: { headersTimeoutMs?: number; requestTimeoutMs?: number } = {}) =>
    serve(apollo, { service: 'test', port: 0, context: async () => ({}), ...options });
  const post = (url: string, query: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  /** A raw connection that sends `data` and then nothing; resolves when the server closes it. */
  const stall = (listening: Listening, data: string) =>
    new Promise<string>((resolve) => {
      const socket = connect(listening.port, '127.0.0.1', () => socket.write(data));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
    });

  test('a client that never finishes its headers is answered 408 and cut off', async () => {
    const listening = await start({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    try {
      expect(await stall(listening, 'POST /graphql HTTP/1.1\r\nHost: x\r\n')).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await listening.close();
    }
  });

  test('a client that never finishes its body is cut off too', async () => {
    const listening = await start({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    try {
      const answer = await stall(listening, 'POST /graphql HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"que');
      expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
    } finally {
      await listening.close();
    }
  });

  test('close lets a request in flight finish and takes no new connection', async () => {
    const listening = await start();
    const inFlight = post(listening.url, '{ slow }');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = listening.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(post(listening.url, '{ fast }')).rejects.toThrow();
    release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { slow: 'done' } });
    await closing;
  });
});
