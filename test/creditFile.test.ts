import { demoDataset, showcaseSubject } from '../lib/demo/dataset.js';
import type { RunningSystem } from '../scripts/system.js';
import { backends } from './kit/backends.js';
import { graphql, startTestSystem } from './kit/system.js';
import { CATALOGUE } from '../subgraphs/enforcement/catalogue/index.js';
import { tasksFor } from '../subgraphs/enforcement/inbound.js';
import { demoTasks } from './kit/demo.js';
import { fullReader } from './kit/tokens.js';

const FILE = /* GraphQL */ `
  query File($code: ID!) {
    subject(code: $code) {
      code
      kind
      name
      region
      legalRepresentative {
        name
        idType
        idNumber
      }
      entries {
        id
        kind
        status
        field
        subject {
          code
        }
      }
      tasks {
        __typename
        id
        status
        entry {
          id
          kind
        }
      }
      objections {
        __typename
        id
        status
        entry {
          id
        }
      }
      repairs {
        __typename
        id
        status
        entry {
          id
        }
      }
    }
  }
`;

interface File {
  code: string;
  kind: string;
  name: string;
  region: string;
  legalRepresentative: { name: string; idType: string; idNumber: string } | null;
  entries: { id: string; kind: string; status: string; field: string; subject: { code: string } }[];
  tasks: { __typename: string; id: string; status: string; entry: { id: string; kind: string } }[];
  objections: { __typename: string; id: string; entry: { id: string } }[];
  repairs: { __typename: string; id: string; entry: { id: string } }[];
}

const data = demoDataset();

describe.each(backends)('the federated credit file through the gateway ($name)', (backend) => {
  let system: RunningSystem;
  // the determining authority of the showcase subject's entries, reading with every scope and a purpose
  let reader: Record<string, string>;
  beforeAll(async () => {
    system = await startTestSystem(backend);
    reader = await fullReader(data.entries.find((e) => e.subjectCode === showcaseSubject().code)!.authority);
  });
  afterAll(() => system?.stop());

  test('a seeded subject reads in one query with data from all three subgraphs', async () => {
    const showcase = showcaseSubject();
    const res = await graphql<{ subject: File }>(system.gatewayUrl, FILE, { code: showcase.code }, reader);
    expect(res.errors).toBeUndefined();
    const file = res.data!.subject;
    expect(file).toMatchObject({ code: showcase.code, kind: 'ORGANISATION', name: showcase.name, region: '320583' });
    expect(file.legalRepresentative).toEqual(showcase.legalRepresentative);
    const entries = data.entries.filter((e) => e.subjectCode === showcase.code);
    expect(file.entries.map((e) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
    expect(file.entries.every((e) => e.subject.code === showcase.code)).toBe(true);
    // enforcement and repair rows, each pointing back at an entry that listings resolves
    expect(file.tasks.map((t) => t.id).sort()).toEqual(
      demoTasks(data)
        .filter((t) => t.subjectCode === showcase.code)
        .map((t) => t.id)
        .sort(),
    );
    expect(file.tasks.every((t) => t.__typename === 'EnforcementTask' && t.entry.kind === 'BLACK')).toBe(true);
    expect(file.objections.length).toBeGreaterThan(0);
    expect(file.repairs.length).toBeGreaterThan(0);
    expect(file.objections[0]!.entry.id).toBe(entries.find((e) => e.kind === 'BLACK')!.id);
  });

  test("E1 on the demonstration data: enforcement initiated, from listings' events, exactly the catalogue's tasks", async () => {
    const tasks = await system.databases.enforcement.query<{ id: string; measure: string; status: string }>('SELECT id, measure, status FROM tasks');
    const measures = new Set(CATALOGUE.measures.map((m) => m.code));
    expect(tasks.filter((t) => !measures.has(t.measure))).toEqual([]);
    // every entry that has been in force, as listings holds it now (time has passed since the data's own day: notices
    // ended, validity ran out): its tasks, open while it is in force, withdrawn once it exited
    const entries = await system.databases.listings.query<{ id: string; kind: string; field: string; status: string; region: string | null }>(
      `SELECT e.id, e.kind, e.field, e.status, s.region FROM list_entries e JOIN subjects s ON s.code = e.subject_code
       WHERE EXISTS (SELECT 1 FROM entry_changes c WHERE c.entry_id = e.id
                     AND (c.action = 'EFFECTIVE' OR (c.action = 'DETERMINED' AND coalesce(c.data->>'status', 'EFFECTIVE') <> 'NOTICE')))`,
    );
    const expected = entries.flatMap((e) =>
      tasksFor({ entryId: e.id, kind: e.kind, field: e.field, region: e.region }).map((t) => `${t.id} ${e.status === 'EXITED' ? 'WITHDRAWN' : 'INITIATED'}`),
    );
    expect(tasks.map((t) => `${t.id} ${t.status}`).sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(50);
  });

  test('a credit code with a bad check character is refused with BAD_IDENTIFIER', async () => {
    const res = await graphql(system.gatewayUrl, FILE, { code: '91350100M000100Y4A' });
    expect(res.data).toEqual({ subject: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_IDENTIFIER', identifier: 'CREDIT_CODE', failed: 'CHECK_CHARACTER' });
    expect(res.errors![0]!.message).toContain('check character');
  });

  test('a well-formed code nobody registered reads as null, without an error', async () => {
    const res = await graphql(system.gatewayUrl, FILE, { code: '11010519491231002X' });
    expect(res).toMatchObject({ status: 200, data: { subject: null } });
    expect(res.errors).toBeUndefined();
  });

  test('subjects(codes) answers in the order asked, null for an unknown code', async () => {
    const codes = [data.subjects[5]!.code, '11010519491231002X', data.subjects[2]!.code];
    const res = await graphql<{ subjects: ({ code: string } | null)[] }>(system.gatewayUrl, 'query($codes: [ID!]!) { subjects(codes: $codes) { code } }', {
      codes,
    });
    expect(res.data!.subjects).toEqual([{ code: codes[0] }, null, { code: codes[2] }]);
  });

  test('searchSubjects finds by part of a name and by exact code', async () => {
    const target = data.subjects[7]!;
    const byName = await graphql<{ searchSubjects: { code: string; name: string }[] }>(
      system.gatewayUrl,
      'query($t: String!) { searchSubjects(text: $t, first: 50) { code name } }',
      { t: target.name.slice(2, 6) },
    );
    expect(byName.data!.searchSubjects.map((s) => s.code)).toContain(target.code);
    expect(byName.data!.searchSubjects.every((s) => s.name.includes(target.name.slice(2, 6)))).toBe(true);
    const byCode = await graphql<{ searchSubjects: { code: string }[] }>(system.gatewayUrl, 'query($t: String!) { searchSubjects(text: $t) { code } }', {
      t: target.code.toLowerCase(),
    });
    expect(byCode.data!.searchSubjects[0]!.code).toBe(target.code);
  });

  test('reading the credit files of 50 subjects costs the same number of statements per subgraph as reading 5', async () => {
    const query = /* GraphQL */ `
      query Files($codes: [ID!]!) {
        subjects(codes: $codes) {
          code
          name
          legalRepresentative {
            name
          }
          entries {
            kind
            status
            subject {
              name
            }
          }
          tasks {
            status
            entry {
              kind
              field
            }
          }
          objections {
            status
            entry {
              kind
            }
          }
          repairs {
            status
            entry {
              kind
            }
          }
          rectifications {
            deadline
          }
          interviews {
            kind
          }
          commitments {
            text
          }
          trainings {
            hours
          }
          creditReports {
            agency
          }
          repairOutlook {
            lacks
            entry {
              kind
            }
          }
        }
      }
    `;
    const statements = async (codes: string[]) => {
      const before = {
        listings: system.databases.listings.statementCount,
        enforcement: system.databases.enforcement.statementCount,
        repair: system.databases.repair.statementCount,
      };
      const res = await graphql<{ subjects: File[] }>(system.gatewayUrl, query, { codes }, reader);
      expect(res.errors).toBeUndefined();
      expect(res.data!.subjects).toHaveLength(codes.length);
      return {
        listings: system.databases.listings.statementCount - before.listings,
        enforcement: system.databases.enforcement.statementCount - before.enforcement,
        repair: system.databases.repair.statementCount - before.repair,
      };
    };
    // subjects with tasks, objections and repairs, so every resolver has rows to load
    const rich = [...new Set(demoTasks(data).map((t) => t.subjectCode))];
    expect(rich.length).toBeGreaterThanOrEqual(50);
    const few = await statements(rich.slice(0, 5));
    const many = await statements(rich.slice(0, 50));
    expect(many).toEqual(few);
    // one statement per loader per fetch of the query plan, whatever the number of subjects: listings answers
    // the root fetch and the entity fetches for entries behind tasks, objections, repairs and repair outlooks (and
    // the fields the gateway's row rules read); a statement per subject would be 50 or more.
    expect(many.listings).toBeLessThanOrEqual(10);
    expect(many.enforcement).toBeLessThanOrEqual(1);
    // repair: one per list of the file (objections, repairs, rectifications, interviews, commitments, trainings,
    // reports) and the entries the outlook reads; the outlook reuses the lists' loaders
    expect(many.repair).toBeLessThanOrEqual(8);
    console.log(`statements for 50 credit files: ${JSON.stringify(many)} (for 5: ${JSON.stringify(few)})`);
  });

  test('a subject registered and listed through the gateway appears in its credit file', async () => {
    const code = '91110000802100433B';
    const sta = await fullReader('STA');
    const registered = await graphql(
      system.gatewayUrl,
      /* GraphQL */ `
      mutation { registerSubject(input: { code: "${code}", kind: ORGANISATION, name: "北京测试科技有限公司",
        legalRepresentative: { name: "钱多多", idNumber: "11010519491231002X" } }) { code region } }`,
      {},
      sta,
    );
    expect(registered.errors).toBeUndefined();
    expect(registered.data).toEqual({ registerSubject: { code, region: '110000' } });
    const determined = await graphql<{ determineEntry: { id: string; status: string } }>(
      system.gatewayUrl,
      /* GraphQL */ `
      mutation { determineEntry(input: { code: "${code}", kind: FOCUS, field: "TAX", facts: "欠缴税款", authority: "STA",
        basis: "《税收征收管理法》", determinedOn: "2026-01-05", validUntil: "2027-01-05" }) { id status } }`,
      {},
      sta,
    );
    expect(determined.errors).toBeUndefined();
    const file = await graphql<{ subject: File }>(system.gatewayUrl, FILE, { code }, sta);
    expect(file.data!.subject.entries).toEqual([
      { id: determined.data!.determineEntry.id, kind: 'FOCUS', status: 'EFFECTIVE', field: 'TAX', subject: { code } },
    ]);
    expect(file.data!.subject.tasks).toEqual([]);
  });

  test('every service answers GET /healthz', async () => {
    for (const url of [system.gatewayUrl, ...Object.values(system.subgraphUrls)]) {
      const res = await fetch(url.replace(/\/graphql$/, '/healthz'));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok' });
    }
  });

  test("the gateway's /health/ready says its query log can be written and every subgraph is ready", async () => {
    const res = await fetch(system.gatewayUrl.replace(/\/graphql$/, '/health/ready'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', queryLog: 'ok', subgraphs: { listings: 'ok', enforcement: 'ok', repair: 'ok' } });
  });
});
