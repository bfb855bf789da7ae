/**
 * A2: the query log says what was read of whom. One response about several subjects is recorded as one record per
 * subject, each naming exactly the fields revealed of that subject, so a person's own log never shows what was read
 * in another subject's file.
 */
import { demoDataset, showcaseSubject } from '../../lib/demo/dataset.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as, fullReader } from '../kit/tokens.js';

const data = demoDataset();
const company = showcaseSubject();
const person = data.subjects.find((s) => s.kind === 'PERSON' && s.address)!;

describe.each(backends)('the query log, subject by subject ($name)', (backend) => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startTestSystem(backend);
  }, 120_000);
  afterAll(() => system?.stop());

  const newRecords = async (read: () => Promise<unknown>) => {
    const before = (await system.queryLog.verify()) as { records: number };
    await read();
    const rows = await system.databases.gateway.query<{ subjects: string[]; fields: string[]; caller_kind: string }>(
      'SELECT subjects, fields, caller_kind FROM query_log WHERE seq > $1 ORDER BY seq',
      [before.records],
    );
    return rows;
  };

  test("a company's legal representative and a person read in one query: each subject's record names its own fields", async () => {
    const query = 'query($a: ID!, $b: ID!) { a: subject(code: $a) { name legalRepresentative { name idNumber } } b: subject(code: $b) { code name address } }';
    const records = await newRecords(() => graphql(system.gatewayUrl, query, { a: company.code, b: person.code }, undefined).then(() => undefined));
    expect(records).toEqual([]); // anonymous: nothing revealed, nothing logged
    const logged = await newRecords(async () => {
      const res = await graphql<any>(system.gatewayUrl, query, { a: company.code, b: person.code }, await fullReader());
      expect(res.data.a.legalRepresentative.idNumber).toBe(company.legalRepresentative!.idNumber);
    });
    const bySubject = Object.fromEntries(logged.map((r) => [r.subjects.join(','), r.fields]));
    expect(bySubject).toEqual({
      [company.code]: ['Person.idNumber', 'Person.name'],
      [person.code]: ['Subject.address', 'Subject.code', 'Subject.name'],
    });
    expect((await system.queryLog.verify()).ok).toBe(true);
  });

  test("the person's own log shows what was read of the person, and nothing read of the company", async () => {
    await graphql(
      system.gatewayUrl,
      'query($a: ID!, $b: ID!) { a: subject(code: $a) { legalRepresentative { idNumber } } b: subject(code: $b) { name } }',
      { a: company.code, b: person.code },
      await fullReader(),
    );
    const own = await graphql<any>(
      system.gatewayUrl,
      'query($c: ID!) { subject(code: $c) { queryLog(first: 200) { fields } } }',
      { c: person.code },
      await as({ caller: 'subject', subject: person.code, scopes: ['credit:read'] }),
    );
    const fields = own.data.subject.queryLog.flatMap((r: { fields: string[] }) => r.fields);
    expect(fields).toContain('Subject.name');
    expect(fields).not.toContain('Person.idNumber');
  });

  test("a bank's batch of credit checks is recorded against each subject it asked about, revealing nothing", async () => {
    const codes = data.subjects
      .filter((s) => s.kind === 'ORGANISATION')
      .slice(0, 3)
      .map((s) => s.code);
    const records = await newRecords(async () => {
      const res = await graphql<any>(
        system.gatewayUrl,
        'query($c: [ID!]!) { creditChecks(codes: $c, scenario: FINANCING) { verdict } }',
        { c: codes },
        await as({ caller: 'bank', scopes: ['check:run', 'list:BLACK'] }),
      );
      expect(res.errors).toBeUndefined();
    });
    expect(records.map((r) => r.subjects).sort()).toEqual(codes.map((c) => [c]).sort());
    expect(records.every((r) => r.caller_kind === 'bank' && r.fields.length === 0)).toBe(true);
  });
});
