import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../lib/platform/db/index.js';
import { QueryLog } from '../gateway/audit/queryLog.js';
import { runScript } from '../test/kit/runScript.js';

const auditVerify = (dataDir: string) => runScript('scripts/auditVerify.ts', dataDir);

describe('npm run audit:verify', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'audit-verify-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  const withLog = async (work: (log: QueryLog, sql: (s: string) => Promise<unknown>) => Promise<void>) => {
    const db = await openDatabase({ name: 'gateway', dataDir });
    try {
      const log = new QueryLog(db);
      await log.migrate();
      await work(log, (s) => db.query(s));
    } finally {
      await db.close();
    }
  };

  test('exits 0 with count and head when intact, 1 naming the seq when tampered', async () => {
    let head = '';
    await withLog(async (log) => {
      for (const code of ['A', 'B', 'C']) {
        const stored = await log.append({
          at: new Date(),
          tokenId: 't',
          clientId: 'c',
          callerKind: 'DEPARTMENT',
          department: 'd',
          purpose: 'p',
          operationHash: 'h',
          subjects: [code],
          fields: ['Person.idNumber'],
          policyVersion: '1',
        });
        head = stored.hash;
      }
    });
    const intact = await auditVerify(dataDir);
    expect(intact).toMatchObject({ code: 0, stdout: `query log intact: 3 records, head ${head}\n` });

    await withLog(async (_log, sql) => {
      await sql('ALTER TABLE query_log DISABLE TRIGGER ALL');
      await sql("UPDATE query_log SET purpose = 'curiosity' WHERE seq = 2");
    });
    const broken = await auditVerify(dataDir);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^query log BROKEN at seq 2: hash does not match/);
  });

  test('exits 2 when there is no database to check', async () => {
    const missing = await auditVerify(join(dataDir, 'nowhere'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no gateway database/);
  });
});
