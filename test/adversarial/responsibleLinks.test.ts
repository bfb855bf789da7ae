/**
 * L13, A3, A6: that a person is the legal representative of a black-listed organisation is personal data. To the
 * public, a portal, a market partner or another subject, such a person's credit check answers exactly as a person's
 * who carries nothing — the same body, the same statements — so a check cannot be used to find out who is behind a
 * listed organisation; a department's check applies the link.
 */
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { freshCreditCode, freshResidentId } from '../kit/codes.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { eventually } from '../kit/traces.js';
import { as } from '../kit/tokens.js';

const CHECK = 'query($c: ID!) { creditCheck(code: $c, scenario: HIGH_CONSUMPTION) { verdict measures { code } entries { id } } }';

describe.each(backends)('L13 links are not learnt from a check ($name)', (backend) => {
  let system: RunningSystem;
  const representative = freshResidentId();
  const nobody = freshResidentId();
  const employer = freshCreditCode();
  let mohrss: Record<string, string>;

  const ask = (code: string, headers: Record<string, string>) => graphql<any>(system.gatewayUrl, CHECK, { c: code }, headers);

  beforeAll(async () => {
    system = await startTestSystem(backend, { seed: false });
    mohrss = await as({ caller: 'department', department: 'MOHRSS', scopes: ['credit:read', 'listing:write', 'check:run'] });
    const write = (query: string, i: Record<string, unknown>) => graphql<any>(system.gatewayUrl, query, { i }, mohrss);
    await write('mutation($i: RegisterSubjectInput!) { registerSubject(input: $i) { code } }', {
      code: employer,
      kind: 'ORGANISATION',
      name: '欠薪单位',
      legalRepresentative: { name: '法人', idNumber: representative },
    });
    await write('mutation($i: RegisterSubjectInput!) { registerSubject(input: $i) { code } }', { code: nobody, kind: 'PERSON', name: '无关人员' });
    await write('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', {
      code: employer,
      kind: 'BLACK',
      field: 'LABOUR',
      facts: '欠薪',
      authority: 'MOHRSS',
      basis: '依据',
      determinedOn: '2026-06-01',
    });
    const verdict = await eventually(
      async () => (await ask(representative, mohrss)).data?.creditCheck?.verdict,
      (v) => v === 'RESTRICTED',
    );
    expect(verdict).toBe('RESTRICTED');
  }, 120_000);
  afterAll(() => system?.stop());

  const callers = {
    'a portal': () => as({ caller: 'portal', scopes: ['credit:read', 'check:run'] }),
    'a bank with list:BLACK': () => as({ caller: 'bank', scopes: ['credit:read', 'check:run', 'list:BLACK'] }),
    'an agency with list:BLACK': () => as({ caller: 'agency', scopes: ['credit:read', 'check:run', 'list:BLACK'] }),
    'another subject': () => as({ caller: 'subject', subject: employer, scopes: ['check:run'] }),
  };

  test.each(Object.keys(callers))('for %s, the representative checks as a person with nothing: same body, same statements', async (name) => {
    const headers = await callers[name as keyof typeof callers]();
    const answer = async (code: string) => {
      const before = system.databases.enforcement.statementCount;
      const res = await ask(code, headers);
      return { body: res.data, errors: res.errors, statements: system.databases.enforcement.statementCount - before };
    };
    const linked = await answer(representative);
    const unlinked = await answer(nobody);
    expect(linked).toEqual(unlinked);
    expect(linked.body.creditCheck).toEqual({ verdict: 'CLEAR', measures: [], entries: [] });
  });

  test("a department's check applies the link, with the organisation's entry as the reason", async () => {
    const res = await ask(representative, await as({ caller: 'department', department: 'CAAC', scopes: ['check:run'] }));
    expect(res.data.creditCheck).toMatchObject({ verdict: 'RESTRICTED', measures: [{ code: 'WAGE-B-03' }] });
    expect(res.data.creditCheck.entries).toHaveLength(1);
  });
});
