/**
 * A1 row rules against an attacker: a rule that compares something of the caller with something of the row never
 * matches two unknowns (an anonymous caller is not the filer of a subject's own objection); a row whose type is closed
 * to the caller leaves its list instead of nulling the whole credit file.
 */
import { ANONYMOUS, type Caller } from '../../lib/contracts/caller.js';
import { demoDataset, showcaseSubject } from '../../lib/demo/dataset.js';
import { POLICY, type RowRule } from '../../gateway/policy/policy.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { callerOf } from '../kit/callers.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as } from '../kit/tokens.js';

const rules = POLICY.rows as Record<string, RowRule>;
/** A row whose every field the rules read is absent or null, as a row about a party nobody names. */
const EMPTY_ROWS = [{}, { authority: null, filedBy: null, department: null, kind: null, status: null, published: null }];

describe('row rules never match two unknowns', () => {
  const tokenless: Caller[] = [ANONYMOUS, callerOf('portal'), callerOf('bank', { scopes: ['list:BLACK'] }), { ...callerOf('bank'), clientId: null }];
  test.each(Object.keys(rules))("%s: no caller sees a row that names nobody, in a file that is nobody's", (type) => {
    for (const caller of tokenless) {
      for (const row of EMPTY_ROWS)
        expect({ type, caller: caller.kind, row, visible: rules[type]!.visible(row, caller, null) }).toMatchObject({ visible: false });
    }
  });

  test('a department without a department code, and a subject without a code, decide nothing as authority or owner', () => {
    const nameless = [
      { ...callerOf('department'), department: null },
      { ...callerOf('subject'), principal: null },
    ];
    for (const [type, rule] of Object.entries(rules)) {
      for (const caller of nameless) {
        expect({ type, visible: rule.visible({ authority: null, filedBy: null, department: null }, caller, null) }).toEqual({ type, visible: false });
        expect({ type, inFull: rule.inFull?.({ authority: null }, caller) ?? false }).toEqual({ type, inFull: false });
      }
    }
  });
});

describe.each(backends)('row rules through the gateway ($name)', (backend) => {
  let system: RunningSystem;
  const showcase = showcaseSubject();
  const data = demoDataset();
  beforeAll(async () => {
    system = await startTestSystem(backend);
  }, 120_000);
  afterAll(() => system?.stop());
  const ask = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
    graphql<any>(system.gatewayUrl, query, variables, headers);

  test('an anonymous caller sees no objection, task or repair application, and the file is not nulled for asking', async () => {
    expect(data.objections.some((o) => o.subjectCode === showcase.code)).toBe(true);
    const res = await ask(
      'query($c: ID!) { subject(code: $c) { name objections { status grounds filedBy } tasks { status department } repairs { status } } }',
      { c: showcase.code },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.subject).toEqual({ name: showcase.name, objections: [], tasks: [], repairs: [] });
  });

  test('a subject whose token does not open a type of its own file gets those rows left out, not its whole file nulled', async () => {
    // EnforcementTask needs credit:read or enforcement:act; the subject holds only repair:apply
    const own = await as({ caller: 'subject', subject: showcase.code, scopes: ['repair:apply'] });
    const res = await ask('query($c: ID!) { subject(code: $c) { name tasks { status } objections { status } } }', { c: showcase.code }, own);
    expect(res.errors).toBeUndefined();
    expect(res.data.subject).toMatchObject({ name: showcase.name, tasks: [] });
    expect(res.data.subject.objections.length).toBeGreaterThan(0);
  });

  test("a reporter sees its own report and nobody else's; a subject's objection is not a report by the caller", async () => {
    const entry = data.entries.find((e) => e.subjectCode === showcase.code && e.kind === 'BLACK')!;
    const reporter = await as({ caller: 'bank', clientId: 'bank-that-reports', scopes: ['credit:read', 'repair:report', 'list:BLACK'] });
    const filed = await ask(
      'mutation($i: FileObjectionInput!) { fileObjection(input: $i) { id filedBy } }',
      {
        i: { entryId: entry.id, grounds: '该企业已结清欠款', evidence: '银行流水' },
      },
      reporter,
    );
    expect(filed.errors).toBeUndefined();
    expect(filed.data.fileObjection.filedBy).toBe('bank-that-reports');
    const seen = async (headers: Record<string, string>) =>
      (await ask('query($c: ID!) { subject(code: $c) { objections { id } } }', { c: showcase.code }, headers)).data.subject.objections.map(
        (o: { id: string }) => o.id,
      );
    expect(await seen(reporter)).toEqual([filed.data.fileObjection.id]);
    expect(await seen(await as({ caller: 'bank', clientId: 'another-bank', scopes: ['credit:read', 'repair:report', 'list:BLACK'] }))).toEqual([]);
  });
});
