/**
 * L14, A1: a listing that may not be published is known to its recipient, its authority and departments reading beyond
 * the public part. To anyone else an organisation with such a listing reads exactly as one without: its file shows no
 * notice and no entry, and no notice list or acknowledgement tells the notice exists.
 */
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { freshCreditCode } from '../kit/codes.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { eventually } from '../kit/traces.js';
import { as } from '../kit/tokens.js';

const FILE = 'query($c: ID!) { subject(code: $c) { name entries { id } listingNotices { id recipient } } }';

describe.each(backends)('L14 notices are not learnt by anyone else ($name)', (backend) => {
  let system: RunningSystem;
  const listed = freshCreditCode();
  const unlisted = freshCreditCode();
  let noticeId = '';

  beforeAll(async () => {
    system = await startTestSystem(backend, { seed: false });
    const sta = await as({ caller: 'department', department: 'STA', scopes: ['credit:read', 'listing:write'] });
    for (const code of [listed, unlisted]) {
      await graphql(
        system.gatewayUrl,
        'mutation($c: ID!) { registerSubject(input: { code: $c, kind: ORGANISATION, name: "同名单位" }) { code } }',
        { c: code },
        sta,
      );
    }
    await graphql(
      system.gatewayUrl,
      'mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }',
      {
        i: {
          code: listed,
          kind: 'BLACK',
          field: 'TAX',
          facts: '不得公开',
          authority: 'STA',
          basis: '依据',
          determinedOn: '2026-06-01',
          published: false,
          notify: { kind: 'DEPARTMENT', to: 'MIIT' },
        },
      },
      sta,
    );
    const miit = await as({ caller: 'department', department: 'MIIT', scopes: ['enforcement:act'] });
    const received = await eventually(
      async () => ((await graphql<any>(system.gatewayUrl, '{ noticesReceived { id } }', {}, miit)).data?.noticesReceived ?? []) as { id: string }[],
      (notices) => notices.length === 1,
    );
    noticeId = received[0]!.id;
  }, 120_000);
  afterAll(() => system?.stop());

  const callers = {
    'the public': async () => ({}),
    'a portal': () => as({ caller: 'portal', scopes: ['credit:read'] }),
    'a bank with list:BLACK': () => as({ caller: 'bank', scopes: ['credit:read', 'list:BLACK'] }),
    'a news medium with every list': () => as({ caller: 'media', scopes: ['credit:read', 'list:BLACK', 'list:RED', 'list:FOCUS', 'list:WARNING'] }),
    'another organisation': () => as({ caller: 'subject', subject: unlisted, scopes: ['notice:receive'] }),
    'another department, acting on tasks': () => as({ caller: 'department', department: 'MOF', scopes: ['enforcement:act'] }),
  };

  test.each(Object.keys(callers))('for %s, the listed organisation reads as the unlisted one, and the notice is not there', async (name) => {
    const headers = await callers[name as keyof typeof callers]();
    const [a, b] = await Promise.all([listed, unlisted].map((c) => graphql<any>(system.gatewayUrl, FILE, { c }, headers)));
    expect(a).toEqual(b);
    expect(a!.data?.subject).toEqual({ name: '同名单位', entries: [], listingNotices: [] });
    const received = await graphql<any>(system.gatewayUrl, '{ noticesReceived { id } }', {}, headers);
    expect(JSON.stringify(received)).not.toContain(noticeId);
    const foreign = await graphql<any>(system.gatewayUrl, 'mutation($id: ID!) { acknowledgeNotice(id: $id) { id } }', { id: noticeId }, headers);
    const unknown = await graphql<any>(
      system.gatewayUrl,
      'mutation($id: ID!) { acknowledgeNotice(id: $id) { id } }',
      { id: '00000000-0000-4000-8000-000000000000' },
      headers,
    );
    expect(foreign.status).toBe(unknown.status);
    expect(foreign.errors?.[0]?.extensions?.code).toBe(unknown.errors?.[0]?.extensions?.code);
    expect(foreign.errors?.[0]?.message.replace(noticeId, 'ID')).toBe(unknown.errors?.[0]?.message.replace('00000000-0000-4000-8000-000000000000', 'ID'));
  });
});
