/**
 * A5 against an attacker: the new caller kinds and the agency's credit-report route (R6) must not tell what the
 * public part withholds. A media token holding every list scope still sees no unpublished focus entry, by any route
 * (L11); an agency filing a report learns nothing of the subject's entries (A6: a person with nothing public files
 * exactly as a code nobody registered); and the row rule that shows an agency its own reports never matches a
 * nameless agency.
 */
import { isPublicEntry } from '../../lib/contracts/access.js';
import type { Caller } from '../../lib/contracts/caller.js';
import { demoDataset } from '../../lib/demo/dataset.js';
import { residentIdCheckChar } from '../../lib/domain/identifiers/index.js';
import { POLICY, type RowRule } from '../../gateway/policy/policy.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { callerOf } from '../kit/callers.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as } from '../kit/tokens.js';

const data = demoDataset();
const entriesOf = (code: string) => data.entries.filter((e) => e.subjectCode === code);
const ALL_LISTS = ['list:RED', 'list:BLACK', 'list:FOCUS', 'list:WARNING'];

/** An organisation with unpublished focus entries in force beside public ones (so its file is there to read). */
const organisation = data.subjects.find(
  (s) =>
    s.kind === 'ORGANISATION' &&
    entriesOf(s.code).some((e) => e.kind === 'FOCUS' && !e.published && e.status === 'EFFECTIVE') &&
    entriesOf(s.code).some(isPublicEntry),
)!;
const unpublished = entriesOf(organisation.code).filter((e) => e.kind === 'FOCUS' && !e.published);
/** A person whose only entries are unpublished focus entries: nothing public. */
const hiddenPerson = data.subjects.find(
  (s) => s.kind === 'PERSON' && entriesOf(s.code).length > 0 && entriesOf(s.code).every((e) => e.kind === 'FOCUS' && !e.published),
)!;

/** A well-formed resident ID number nobody registered. */
function unknownPerson(): string {
  for (let seq = 500; ; seq++) {
    const first17 = `11010519800101${String(seq % 1000).padStart(3, '0')}`;
    const code = first17 + residentIdCheckChar(first17);
    if (!data.subjects.some((s) => s.code === code)) return code;
  }
}

describe('A5: the row rule of credit reports', () => {
  const rule = (POLICY.rows as Record<string, RowRule>).CreditReport!;
  test('A5: an agency sees a report in its own name only; a nameless agency, or any other kind of the same client, sees none', () => {
    const agency = { ...callerOf('agency'), clientId: 'CCX' };
    expect(rule.visible({ agency: 'CCX' }, agency, null)).toBe(true);
    expect(rule.visible({ agency: 'DAGONG_CREDIT' }, agency, null)).toBe(false);
    const others: Caller[] = [
      { ...callerOf('agency'), clientId: null },
      { ...callerOf('media'), clientId: 'CCX' },
      { ...callerOf('bank'), clientId: 'CCX' },
      { ...callerOf('association'), clientId: 'CCX' },
      { ...callerOf('portal'), clientId: 'CCX' },
    ];
    for (const caller of others) {
      for (const row of [{}, { agency: null }, { agency: 'CCX' }]) {
        if (caller.kind === 'agency' && row.agency === 'CCX') continue;
        expect({ kind: caller.kind, clientId: caller.clientId, row, visible: rule.visible(row, caller, null) }).toMatchObject({ visible: false });
      }
    }
  });
});

describe.each(backends)('A5: market partners as attackers ($name)', (backend) => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startTestSystem(backend);
  }, 180_000);
  afterAll(() => system?.stop(), 60_000);

  const ask = (query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    graphql<any>(system.gatewayUrl, query, variables, headers);

  test('the demonstration data holds what these tests need', () => {
    expect(organisation).toBeDefined();
    expect(unpublished.length).toBeGreaterThan(0);
    expect(hiddenPerson).toBeDefined();
  });

  test('A5, L11: a media token holding every list scope sees no unpublished focus entry, by any route', async () => {
    const media = await as({ caller: 'media', clientId: 'newsroom', scopes: ['credit:read', 'check:run', ...ALL_LISTS] });
    const portal = await as({ caller: 'portal', clientId: 'portal', scopes: ['credit:read', 'check:run'] });
    const hidden = new Set(unpublished.map((e) => e.id));
    const routes: [string, string, (d: any) => { id?: string; kind: string }[]][] = [
      ['entries', 'query($c: ID!) { subject(code: $c) { entries { id kind } } }', (d) => d.subject.entries],
      ['entries(kind: FOCUS)', 'query($c: ID!) { subject(code: $c) { entries(kind: FOCUS) { id kind } } }', (d) => d.subject.entries],
      ['entries(status: EFFECTIVE)', 'query($c: ID!) { subject(code: $c) { entries(status: EFFECTIVE) { id kind } } }', (d) => d.subject.entries],
      ['entries(asOf:)', 'query($c: ID!) { subject(code: $c) { entries(asOf: "2026-11-01") { id kind } } }', (d) => d.subject.entries],
      ['subjects', 'query($c: ID!) { subjects(codes: [$c]) { entries { id kind } } }', (d) => d.subjects[0].entries],
      [
        'entry → subject → entries',
        'query($c: ID!) { subject(code: $c) { entries { subject { entries { id kind } } } } }',
        (d) => d.subject.entries.flatMap((e: any) => e.subject.entries),
      ],
      ['creditCheck', 'query($c: ID!) { creditCheck(code: $c, scenario: BIDDING) { verdict entries { id kind } } }', (d) => d.creditCheck.entries],
    ];
    for (const [route, query, pick] of routes) {
      const seen = await ask(query, { c: organisation.code }, media);
      expect({ route, errors: seen.errors }).toEqual({ route, errors: undefined });
      expect({ route, leaked: pick(seen.data).filter((e) => e.id !== undefined && hidden.has(e.id)) }).toEqual({ route, leaked: [] });
      // what the media see is what the portal publishes
      const published = await ask(query, { c: organisation.code }, portal);
      expect({ route, media: pick(seen.data) }).toEqual({ route, media: pick(published.data) });
    }
    // a person whose only entries are unpublished focus entries is, to the media, nobody (A6)
    const person = await ask('query($c: ID!) { subject(code: $c) { name entries { kind } } }', { c: hiddenPerson.code }, media);
    expect(person.data.subject).toBeNull();
  });

  test('A5, A6: an agency filing a credit report learns nothing of the subject: a person with nothing public files as a code nobody registered', async () => {
    const agency = await as({ caller: 'agency', clientId: 'PENGYUAN_CREDIT', scopes: ['report:submit', 'credit:read', ...ALL_LISTS] });
    const query = 'mutation($i: AgencyCreditReportInput!) { submitAgencyCreditReport(input: $i) { agency reportNumber issuedOn subject { code kind name } } }';
    const answerFor = async (code: string, reportNumber: string) => {
      const before = { listings: system.databases.listings.statementCount, repair: system.databases.repair.statementCount };
      const res = await ask(query, { i: { subject: code, reportNumber, issuedOn: '2026-11-02' } }, agency);
      const body = JSON.stringify({ data: res.data, errors: res.errors })
        .replaceAll(reportNumber, '<n>')
        .replace(/"h:[\w-]{22}"/g, '"<hash>"');
      return {
        status: res.status,
        body,
        statements: { listings: system.databases.listings.statementCount - before.listings, repair: system.databases.repair.statementCount - before.repair },
      };
    };
    const unknown = await answerFor(unknownPerson(), 'PY-UNKNOWN');
    const hidden = await answerFor(hiddenPerson.code, 'PY-HIDDEN');
    expect(hidden).toEqual(unknown);
    expect(hidden.body).not.toContain(hiddenPerson.name);
  });
});
