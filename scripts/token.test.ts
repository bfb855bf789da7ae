import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_PUBLIC_JWKS } from '../gateway/auth/devKey.js';
import { createTokenVerifier } from '../gateway/auth/verifyToken.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs the CLI as `npm run -s token --` does, in a clean auth environment. */
function token(...args: string[]) {
  const { AUTH_ISSUER: _i, AUTH_AUDIENCE: _a, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
    cwd: root,
    env: { ...env, NODE_OPTIONS: '', NODE_ENV: 'development' },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const verifier = createTokenVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwks: { keys: [...DEV_PUBLIC_JWKS.keys] } });

describe('npm run -s token', () => {
  test('prints only a token the development gateway accepts, so TOKEN=$(...) works', async () => {
    const run = token(
      '--caller',
      'department',
      '--department',
      'SAMR-320583',
      '--region',
      '320583',
      '--scopes',
      'credit:read check:run',
      '--purposes',
      'approval',
      '--ttl',
      '600',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);

    const { caller } = await verifier.verify(`Bearer ${run.stdout.trim()}`, 'approval');
    expect(caller).toMatchObject({ kind: 'department', department: 'SAMR-320583', region: '320583', purpose: 'approval' });
    expect([...caller.scopes]).toEqual(['credit:read', 'check:run']);
  });

  test.each(['agency', 'association', 'media'] as const)('A5: prints a %s token, in the name --client gives, that the gateway accepts', async (kind) => {
    const run = token('--caller', kind, '--client', 'CCX', '--scopes', 'report:submit list:BLACK');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { caller } = await verifier.verify(`Bearer ${run.stdout.trim()}`, undefined);
    expect(caller).toMatchObject({ kind, clientId: 'CCX', principal: 'CCX', department: null });
    expect([...caller.scopes]).toEqual(['report:submit', 'list:BLACK']);
  });

  test.each([
    [['--caler', 'portal'], /Unknown option '--caler'/],
    [['--caller', 'agency', '--client', ''], /client id/],
    [['--caller', 'rating-agency'], /caller must be one of department, portal, bank, agency, association, media, subject/],
    [[], /--caller is required/],
    [['--caller', 'department'], /needs --department/],
    [['--caller', 'portal', '--ttl', '1h'], /--ttl/],
    [['--caller', 'subject', '--subject', '91350100M000100Y4A'], /check character/],
  ])('bad flags %j: a message and the usage on stderr, nothing on stdout, exit 2', (args, message) => {
    const run = token(...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/usage: npm run -s token -- --caller/);
  });
});
