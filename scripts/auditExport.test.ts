import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryLog } from '../gateway/audit/queryLog.js';
import { openDatabase } from '../lib/platform/db/index.js';
import { runScript } from '../test/kit/runScript.js';

const auditExport = (dataDir: string, args: string[]) => runScript('scripts/auditExport.ts', dataDir, args);

describe('npm run audit:export (A2)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'audit-export-'));
    const db = await openDatabase({ name: 'gateway', dataDir });
    try {
      const log = new QueryLog(db);
      await log.migrate();
      for (const [code, at] of [
        ['A', '2026-10-01T08:00:00Z'],
        ['B', '2026-11-01T08:00:00Z'],
        ['C', '2026-11-20T08:00:00Z'],
      ] as const) {
        await log.append({
          at: new Date(at),
          tokenId: 't',
          clientId: 'c',
          callerKind: 'DEPARTMENT',
          department: 'NDRC',
          purpose: 'p',
          operationHash: 'h',
          subjects: [code],
          fields: ['Person.idNumber'],
          policyVersion: '1',
        });
      }
    } finally {
      await db.close();
    }
  }, 60_000);
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  test('writes the records since the date as JSON lines, each with its hash and the one it links to, then the head', async () => {
    const run = await auditExport(dataDir, ['--since', '2026-10-15']);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.type)).toEqual(['record', 'record', 'head']);
    expect(lines.slice(0, 2).map((l) => [l.seq, l.subjects, l.at])).toEqual([
      [2, ['B'], '2026-11-01T08:00:00.000Z'],
      [3, ['C'], '2026-11-20T08:00:00.000Z'],
    ]);
    // the chain links: each record names the hash before it, and the head is the last record's hash
    expect(lines[1]!.prevHash).toBe(lines[0]!.hash);
    expect(lines[2]).toMatchObject({ seq: 3, hash: lines[1]!.hash });
    expect(run.stderr).toMatch(/2 records since 2026-10-15T00:00:00.000Z; head seq 3/);
  });

  test('bad or missing arguments, or no database: exit 2 with the usage, nothing on stdout', async () => {
    for (const args of [[], ['--since', 'yesterday'], ['--until', '2026-01-01']]) {
      const run = await auditExport(dataDir, args);
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(run.stderr).toMatch(/usage: npm run audit:export/);
    }
    const missing = await auditExport(join(dataDir, 'nowhere'), ['--since', '2026-01-01']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no gateway database/);
  });
});
