import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoDataset, showcaseSubject as showcase } from '../lib/demo/dataset.js';
import { killAll, npmStart } from '../lib/platform/process/spawnService.js';
import { graphql } from './kit/system.js';
import { addMonths } from '../lib/domain/dates.js';
import { as, fullReader } from './kit/tokens.js';
import { openDatabase } from '../lib/platform/db/index.js';
import { candidatesFor } from './kit/codes.js';
import { printedCommands, runPrinted, unkeptPromises } from './kit/printedCommands.js';

const FILE = /* GraphQL */ `
  query File($code: ID!) {
    subject(code: $code) {
      code
      kind
      name
      region
      legalRepresentative {
        name
      }
      entries {
        kind
        status
        field
      }
      tasks {
        __typename
      }
      objections {
        __typename
      }
      repairs {
        __typename
      }
    }
  }
`;

/** The JSON lines of a service's output (its logs); the banner and npm's own lines are not JSON. */
function logLines(output: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));
}

describe('npm start (embedded defaults, as a person runs it)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credit-graph-'));
  });
  afterAll(async () => {
    killAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('starts all four services seeded, serves a complete credit file, stops cleanly on Ctrl-C, and keeps its data', async () => {
    const first = await npmStart({ DATA_DIR: dataDir });
    const code = showcase().code;
    // the determining authority of its entries, with every scope and a stated purpose, sees the whole file
    const authority = demoDataset().entries.find((e) => e.subjectCode === code)!.authority;
    const res = await graphql<{ subject: Record<string, unknown[]> }>(first.url, FILE, { code }, await fullReader(authority));
    expect(res.errors).toBeUndefined();
    expect(res.data!.subject).toMatchObject({ code, kind: 'ORGANISATION', legalRepresentative: { name: '赵建国' } });
    // the public view of the same file: A3 masks
    const anonymous = await graphql<{ subject: { legalRepresentative: { name: string; idNumber: string } } }>(
      first.url,
      'query($c: ID!) { subject(code: $c) { legalRepresentative { name idNumber } } }',
      { c: code },
    );
    expect(anonymous.data!.subject.legalRepresentative).toEqual({ name: '赵*', idNumber: expect.stringMatching(/^320583\*{8}123X$/) });
    for (const list of ['entries', 'tasks', 'objections', 'repairs']) expect(res.data!.subject[list]!.length).toBeGreaterThan(0);
    // the subject itself sees what it still lacks for repair (R7, R8): its black entry is serious, a year must pass
    const own = await graphql<{ subject: { repairOutlook: unknown[] } }>(
      first.url,
      'query($c: ID!) { subject(code: $c) { repairOutlook { severity earliestOn lacks } } }',
      { c: code },
      await as({ caller: 'subject', subject: code, scopes: ['repair:apply'] }),
    );
    const determinedOn = demoDataset().entries.find((e) => e.subjectCode === code)!.determinedOn;
    expect(own.data!.subject.repairOutlook).toEqual([
      { severity: 'SERIOUS', earliestOn: addMonths(determinedOn, 12), lacks: ['TOO_EARLY', 'COMMITMENT', 'TRAINING', 'CREDIT_REPORT'] },
    ]);
    // a request id chosen by the caller comes back, and follows the request into the subgraphs' log lines
    const traced = await fetch(first.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'e2e-file-0001', ...(await fullReader(authority)) },
      body: JSON.stringify({ query: FILE, variables: { code } }),
    });
    expect(traced.headers.get('x-request-id')).toBe('e2e-file-0001');
    // the explorer the banner names is served, from this machine alone
    const explorerUrl = /explorer\s+(http:\/\/\S+\/explorer)/.exec(first.output())![1]!;
    const page = await fetch(explorerUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(first.output()).toContain(`subject(code: \\"${code}\\")`);
    expect(first.output()).toMatch(/demonstration data loaded \(\d{3} subjects\)/);

    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain('stopped.');
    const lines = logLines(first.output());
    const ofRequest = lines.filter((l) => l.requestId === 'e2e-file-0001' && l.msg === 'request');
    expect(ofRequest).toContainEqual(expect.objectContaining({ service: 'gateway', callerKind: 'department', operation: 'File', outcome: 'OK', status: 200 }));
    expect(ofRequest.map((l) => l.service)).toEqual(expect.arrayContaining(['listings', 'enforcement', 'repair']));
    // the file it served in full named a person: the logs never do
    for (const value of ['赵建国', demoDataset().subjects.find((s) => s.code === code)!.legalRepresentative!.idNumber]) {
      expect(first.output()).not.toContain(value);
    }

    // a second start finds its data (including what was written through it) and seeds nothing twice
    const second = await npmStart({ DATA_DIR: dataDir });
    const again = await graphql<{ subject: unknown }>(second.url, FILE, { code }, await fullReader(authority));
    expect(again.data!.subject).toEqual(res.data!.subject);
    expect(second.output()).not.toContain('demonstration data loaded');
    expect(await second.stop()).toBe(0);
  }, 120_000);

  test('as an attacker and as a newcomer would try it: printed commands work, refusals hold, nothing is learned', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credit-graph-attack-'));
    const system = await npmStart({ DATA_DIR: dir });
    try {
      // every command the banner prints, pasted into a shell as it is
      const commands = printedCommands(system.output());
      expect(commands).toHaveLength(3);
      for (const command of commands) expect(unkeptPromises(command, await runPrinted(command))).toEqual([]);

      // a person whose only entry is an unpublished focus entry is CLEAR for a bank's and a portal's check (A1, A4, L11)
      const data = demoDataset();
      const focusOnly = data.subjects.find((p) => {
        const entries = data.entries.filter((e) => e.subjectCode === p.code);
        return p.kind === 'PERSON' && entries.length > 0 && entries.every((e) => e.kind === 'FOCUS' && !e.published && e.status === 'EFFECTIVE');
      })!;
      const CHECK = 'query($c: ID!) { creditCheck(code: $c, scenario: FINANCING) { verdict measures { code } } }';
      for (const headers of [
        await as({ caller: 'bank', scopes: ['check:run', 'credit:read', 'list:BLACK', 'list:RED'] }),
        await as({ caller: 'portal', scopes: ['check:run'] }),
      ]) {
        const res = await graphql<any>(system.url, CHECK, { c: focusOnly.code }, headers);
        expect(res.data.creditCheck).toEqual({ verdict: 'CLEAR', measures: [] });
      }

      // an anonymous batch of credit checks is refused before it runs
      const codes = data.subjects.filter((s) => s.kind === 'ORGANISATION').map((s) => s.code);
      const refused = await graphql<any>(system.url, 'query($c: [ID!]!) { creditChecks(codes: $c, scenario: BIDDING) { verdict } }', { c: codes });
      expect(refused.status).toBe(403);

      // the enumeration of a masked ID number: refused after a handful, so its ~2,000 candidates would take hours
      const listed = data.subjects.find(
        (p) => p.kind === 'PERSON' && data.entries.some((e) => e.subjectCode === p.code && e.kind === 'BLACK' && e.status === 'EFFECTIVE'),
      )!;
      const shown = (await graphql<any>(system.url, 'query($c: ID!) { subject(code: $c) { code } }', { c: listed.code })).data.subject.code as string;
      expect(shown).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      const candidates = candidatesFor(shown).filter((c) => c !== listed.code);
      let answered = 0;
      for (let i = 0; i < candidates.length; i += 5) {
        const res = await graphql<any>(system.url, 'query($c: [ID!]!) { subjects(codes: $c) { code } }', { c: candidates.slice(i, i + 5) });
        if (res.status === 429) break;
        answered += 5;
      }
      expect(answered).toBeLessThanOrEqual(30);
      expect(candidates.length / answered).toBeGreaterThan(60);
    } finally {
      expect(await system.stop()).toBe(0);
    }
    // persons were looked up by their ID numbers and shown masked: no code or name of a person reaches the logs
    const data = demoDataset();
    const personal = data.subjects.flatMap((s) => [
      ...(s.kind === 'PERSON' ? [s.code, s.name] : []),
      ...(s.legalRepresentative ? [s.legalRepresentative.name, s.legalRepresentative.idNumber] : []),
    ]);
    expect(personal.filter((value) => system.output().includes(value))).toEqual([]);
    expect(logLines(system.output()).filter((l) => l.msg === 'request').length).toBeGreaterThan(10);
    // nothing of the refused anonymous batch was recorded (the banner's own check, by MOF, was): read after the stop
    const enforcement = await openDatabase({ name: 'enforcement', dataDir: dir });
    try {
      expect((await enforcement.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_checks WHERE client_id IS NULL'))[0]!.n).toBe(0);
    } finally {
      await enforcement.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  test('a bad configuration stops it at once with every problem named', async () => {
    await expect(npmStart({ DATA_DIR: dataDir, GATEWAY_PORT: 'x', SEED: 'perhaps' })).rejects.toThrow(/GATEWAY_PORT[\s\S]*SEED/);
  });
});
