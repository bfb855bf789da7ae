import { SimulatedClock } from '../../lib/platform/clock.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/kit/backends.js';
import { callerOf } from '../../test/kit/callers.js';
import { execute } from '../../test/kit/execute.js';
import { createRepairServer } from './server.js';

/**
 * R6, A5 in the repair subgraph itself (defence in depth: the gateway checks only the scope): a credit-service agency
 * files a report under its own token, in its own name; no other kind of caller may, whatever scopes it holds.
 */
const FILE = 'mutation($i: AgencyCreditReportInput!) { submitAgencyCreditReport(input: $i) { agency reportNumber issuedOn } }';
const CODE = '91320583MA1MDEM00H';
const LEGACY = '91350211M0000XUF46';

describe.each(backends)('R6, A5: credit reports filed by agencies, in process ($name)', (backend) => {
  let t: TestDatabase;
  let service: ReturnType<typeof createRepairServer>;
  beforeAll(async () => {
    t = await openTestDatabase(backend, 'repair');
    service = createRepairServer({ db: t.db, clock: new SimulatedClock('2026-06-01'), legacyCreditCodes: new Set([LEGACY]) });
    await service.migrate();
    await service.apollo.start();
  });
  afterAll(async () => {
    await service?.apollo.stop();
    await t?.dispose();
  });
  const agency = (clientId: string, scopes = ['report:submit']) => ({ ...callerOf('agency', { scopes }), clientId });
  const reports = async () =>
    t.db.query<{ subject_code: string; agency: string; report_number: string }>(
      'SELECT subject_code, agency, report_number FROM credit_reports ORDER BY report_number',
    );

  test('R6: the report is filed under the agency token’s client id, for a well-formed code (a legacy pilot code too)', async () => {
    const filed = await execute(service, FILE, { i: { subject: CODE, reportNumber: 'D-1', issuedOn: '2026-05-01' } }, agency('DAGONG_CREDIT'));
    expect(filed).toEqual({ data: { submitAgencyCreditReport: { agency: 'DAGONG_CREDIT', reportNumber: 'D-1', issuedOn: '2026-05-01' } } });
    const legacy = await execute(service, FILE, { i: { subject: LEGACY, reportNumber: 'D-2', issuedOn: '2026-05-01' } }, agency('DAGONG_CREDIT'));
    expect(legacy.errors).toBeUndefined();
    const again = await execute(service, FILE, { i: { subject: CODE, reportNumber: 'D-1', issuedOn: '2026-05-01' } }, agency('DAGONG_CREDIT'));
    expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');
    const future = await execute(service, FILE, { i: { subject: CODE, reportNumber: 'D-3', issuedOn: '2026-06-02' } }, agency('DAGONG_CREDIT'));
    expect(future.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'issuedOn' });
    expect(await reports()).toEqual([
      { subject_code: CODE, agency: 'DAGONG_CREDIT', report_number: 'D-1' },
      { subject_code: LEGACY, agency: 'DAGONG_CREDIT', report_number: 'D-2' },
    ]);
  });

  test('R6: any other kind holding report:submit, an agency without it, a nameless or unregistered agency: refused, nothing written', async () => {
    const before = await reports();
    const refused: [string, ReturnType<typeof callerOf>, string][] = [
      ...(['bank', 'association', 'media', 'portal', 'department', 'subject'] as const).map(
        (kind) =>
          [kind, { ...callerOf(kind, { scopes: ['report:submit', 'repair:apply'] }), clientId: 'CCX' }, 'FORBIDDEN'] as [
            string,
            ReturnType<typeof callerOf>,
            string,
          ],
      ),
      ['agency without report:submit', agency('CCX', ['credit:read', 'repair:apply']), 'FORBIDDEN'],
      ['agency without a client id', { ...agency('CCX'), clientId: null }, 'FORBIDDEN'],
      ['unregistered agency', agency('NOT_A_REGISTERED_AGENCY'), 'RULE_REFUSED'],
    ];
    for (const [who, caller, code] of refused) {
      const res = await execute(service, FILE, { i: { subject: CODE, reportNumber: `R-${who}`, issuedOn: '2026-05-01' } }, caller);
      expect({ who, code: res.errors?.[0]?.extensions?.code }).toEqual({ who, code });
    }
    const badCode = await execute(service, FILE, { i: { subject: '91350100M000100Y4A', reportNumber: 'R-bad', issuedOn: '2026-05-01' } }, agency('CCX'));
    expect(badCode.errors![0]!.extensions).toMatchObject({ code: 'BAD_IDENTIFIER', argument: 'subject' });
    expect(await reports()).toEqual(before);
  });
});
