/**
 * A1, A4, L11, E4: a credit check's verdict and measures rest only on entries the caller may see, so a verdict never
 * tells what the entries withhold (an unpublished focus entry, a list a bank's scope does not name).
 */
import type { RunningSystem } from '../../scripts/system.js';
import { SCENARIOS } from '../../subgraphs/enforcement/catalogue/model.js';
import { measuresFor } from '../../subgraphs/enforcement/catalogue/index.js';
import { backends } from '../kit/backends.js';
import { freshCreditCode, freshResidentId } from '../kit/codes.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { eventually } from '../kit/traces.js';
import { as } from '../kit/tokens.js';

const REGION = '110105';
const FIELD = 'ENVIRONMENT';
/** A scenario in which focus and black entries of FIELD have measures (the catalogue is data: found, not assumed). */
const SCENARIO = SCENARIOS.find(
  (s) =>
    measuresFor({ kind: 'FOCUS', field: FIELD, region: REGION }, s).length > 0 && measuresFor({ kind: 'BLACK', field: FIELD, region: REGION }, s).length > 0,
)!;
const CHECK = 'query($c: ID!, $s: Scenario!) { creditCheck(code: $c, scenario: $s) { verdict measures { code } entries { id kind } } }';

describe.each(backends)("E4 verdicts follow the caller's view ($name)", (backend) => {
  let system: RunningSystem;
  let mee: Record<string, string>;
  const people = { unpublishedFocus: freshResidentId(REGION), publishedFocus: freshResidentId(REGION) };
  const company = freshCreditCode(REGION);

  const ask = (query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    graphql<any>(system.gatewayUrl, query, variables, headers);
  const determine = async (code: string, kind: 'FOCUS' | 'BLACK' | 'RED', published?: boolean) => {
    const res = await ask(
      'mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id status } }',
      {
        i: {
          code,
          kind,
          field: kind === 'RED' ? 'TAX' : FIELD,
          facts: '测试',
          authority: 'MEE',
          basis: '依据',
          determinedOn: '2026-06-01',
          ...(published === undefined ? {} : { published }),
        },
      },
      mee,
    );
    expect(res.errors).toBeUndefined();
    return res.data.determineEntry as { id: string; status: string };
  };

  beforeAll(async () => {
    system = await startTestSystem(backend, { seed: false });
    mee = await as({ caller: 'department', department: 'MEE', scopes: ['credit:read', 'listing:write', 'check:run'] });
    for (const [code, kind] of [
      [people.unpublishedFocus, 'PERSON'],
      [people.publishedFocus, 'PERSON'],
      [company, 'ORGANISATION'],
    ] as const) {
      await ask('mutation($c: ID!, $k: SubjectKind!) { registerSubject(input: { code: $c, kind: $k, name: "核验对象" }) { code } }', { c: code, k: kind }, mee);
    }
    await determine(people.unpublishedFocus, 'FOCUS', false);
    await determine(people.publishedFocus, 'FOCUS', true);
    await determine(company, 'BLACK');
    // the determining authority sees every entry in force: wait until enforcement has them all
    for (const code of [people.unpublishedFocus, people.publishedFocus, company]) {
      const verdict = await eventually(
        async () => (await ask(CHECK, { c: code, s: SCENARIO }, mee)).data?.creditCheck?.verdict,
        (v) => v === 'RESTRICTED',
      );
      expect(verdict).toBe('RESTRICTED');
    }
  }, 120_000);
  afterAll(() => system?.stop());

  const callers = {
    'a bank with list:BLACK': () => as({ caller: 'bank', scopes: ['credit:read', 'check:run', 'list:BLACK'] }),
    'a bank with list:RED': () => as({ caller: 'bank', scopes: ['credit:read', 'check:run', 'list:RED'] }),
    'a bank with no list scope': () => as({ caller: 'bank', scopes: ['credit:read', 'check:run'] }),
    'a portal with check:run': () => as({ caller: 'portal', scopes: ['credit:read', 'check:run'] }),
    'a department with check:run only': () => as({ caller: 'department', department: 'MOF', scopes: ['check:run'] }),
    'another subject': () => as({ caller: 'subject', subject: company, scopes: ['check:run'] }),
  };

  test.each(Object.keys(callers))('a person whose only entry is an unpublished focus entry is CLEAR, with no measures, for %s', async (name) => {
    const res = await ask(CHECK, { c: people.unpublishedFocus, s: SCENARIO }, await callers[name as keyof typeof callers]());
    expect(res.data.creditCheck).toEqual({ verdict: 'CLEAR', measures: [], entries: [] });
  });

  test('a department reading beyond the public part (credit:read) and the person itself see the focus entry and its measures', async () => {
    const department = await ask(
      CHECK,
      { c: people.unpublishedFocus, s: SCENARIO },
      await as({ caller: 'department', department: 'MOF', scopes: ['check:run', 'credit:read'] }),
    );
    expect(department.data.creditCheck).toMatchObject({ verdict: 'RESTRICTED', entries: [{ kind: 'FOCUS' }] });
    const itself = await ask(
      CHECK,
      { c: people.unpublishedFocus, s: SCENARIO },
      await as({ caller: 'subject', subject: people.unpublishedFocus, scopes: ['check:run'] }),
    );
    expect(itself.data.creditCheck).toMatchObject({ verdict: 'RESTRICTED', entries: [{ kind: 'FOCUS' }] });
  });

  test("a bank's check uses only the lists its scopes name; a published focus entry counts for the public", async () => {
    const check = async (code: string, scopes: string[]) =>
      (await ask(CHECK, { c: code, s: SCENARIO }, await as({ caller: 'bank', scopes: ['credit:read', 'check:run', ...scopes] }))).data.creditCheck.verdict;
    expect(await check(company, ['list:BLACK'])).toBe('RESTRICTED');
    expect(await check(company, ['list:RED', 'list:FOCUS'])).toBe('CLEAR');
    expect(await check(people.publishedFocus, ['list:FOCUS'])).toBe('RESTRICTED');
    expect(await check(people.publishedFocus, ['list:BLACK'])).toBe('CLEAR');
    const portal = await ask(CHECK, { c: people.publishedFocus, s: SCENARIO }, await callers['a portal with check:run']());
    expect(portal.data.creditCheck.verdict).toBe('RESTRICTED');
  });

  test("for every caller, a check's entries are entries that caller sees in the file, and its verdict follows from them alone", async () => {
    for (const [name, headersOf] of Object.entries(callers)) {
      const headers = await headersOf();
      for (const code of [company, people.publishedFocus, people.unpublishedFocus]) {
        const check = (await ask(CHECK, { c: code, s: SCENARIO }, headers)).data.creditCheck;
        const file = (await ask('query($c: ID!) { subject(code: $c) { entries { id } } }', { c: code }, headers)).data?.subject;
        const seen = new Set((file?.entries ?? []).map((e: { id: string }) => e.id));
        expect({ name, code, unseen: check.entries.filter((e: { id: string }) => !seen.has(e.id)) }).toEqual({ name, code, unseen: [] });
        expect({ name, code, verdict: check.verdict }).toEqual({ name, code, verdict: check.entries.length === 0 ? 'CLEAR' : 'RESTRICTED' });
      }
    }
  });
});
