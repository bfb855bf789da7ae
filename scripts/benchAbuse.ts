/**
 * `npm run bench:abuse`: does one caller hurt another? The four services run as separate processes (the topology of a
 * deployment) on embedded PGlite, seeded. A department's credit checks are timed alone, then again while abusive
 * anonymous clients (scripts/bench/abusers.ts, a process of their own) attack the gateway at full speed. Printed:
 * the department's p50/p99 under attack as ratios to the quiet run (the goal is ≤ 1.5×), how each attack was answered
 * and how fast, each service's peak memory, and whether every service is still up afterwards.
 *
 * Environment: ABUSE_SECONDS (30), ABUSE_LOOPS (6), ABUSE_QUIET (300 sequential checks).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_PUBLIC_JWKS } from '../gateway/auth/devKey.js';
import { mintToken } from '../gateway/auth/mintToken.js';
import { showcaseSubject } from '../lib/demo/dataset.js';
import { killAll, spawnService, type Spawned } from '../lib/platform/process/spawnService.js';

const SECONDS = Number(process.env.ABUSE_SECONDS ?? 30);
const LOOPS = Number(process.env.ABUSE_LOOPS ?? 6);
const QUIET = Number(process.env.ABUSE_QUIET ?? 300);
const progress = (line: string) => process.stderr.write(`[bench:abuse] ${line}\n`);
const table = (line = '') => process.stdout.write(`${line}\n`);

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? 0;

/** CPU seconds (user + system) the process has used so far. */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** VmHWM: the most resident memory the process ever had (MB). */
async function peakMemoryMb(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'credit-graph-abuse-'));
  const secret = randomBytes(32).toString('base64url');
  // production mode, as deployed: the token keys from a file (here the development key's public half)
  const jwks = join(dir, 'jwks.json');
  await writeFile(jwks, JSON.stringify(DEV_PUBLIC_JWKS));
  const common = {
    DATA_DIR: dir,
    GATEWAY_PROOF_SECRET: secret,
    SEED: 'true',
    NODE_ENV: 'production',
    AUTH_TRUST_DEV_KEY: 'false',
    AUTH_JWKS_FILE: jwks,
    MASK_HASH_KEY: randomBytes(32).toString('base64url'),
  };
  const services: Record<string, Spawned> = {};
  try {
    for (const name of ['listings', 'enforcement', 'repair'] as const) {
      progress(`starting ${name}...`);
      services[name] = await spawnService(
        `subgraphs/${name}/index.ts`,
        { ...common, [`${name.toUpperCase()}_PORT`]: '0' },
        new RegExp(`${name} subgraph at (http://\\S+/graphql)`),
        120_000,
      );
    }
    progress('starting the gateway...');
    services.gateway = await spawnService(
      'gateway/index.ts',
      {
        ...common,
        GATEWAY_PORT: '0',
        TRUSTED_PROXIES: '127.0.0.1',
        LISTINGS_URL: services.listings!.url,
        ENFORCEMENT_URL: services.enforcement!.url,
        REPAIR_URL: services.repair!.url,
      },
      /gateway at (http:\/\/\S+\/graphql)/,
    );
    const url = services.gateway.url;
    const department = `Bearer ${await mintToken({ caller: 'department', department: 'MOF', scopes: ['check:run'], clientId: 'approval-workflow' })}`;
    const body = JSON.stringify({ query: `{ creditCheck(code: "${showcaseSubject().code}", scenario: BIDDING) { verdict measures { code } } }` });
    const check = async (): Promise<number> => {
      const began = performance.now();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: department }, body });
      const answer = (await response.json()) as { data?: { creditCheck?: { verdict?: string } } };
      if (answer.data?.creditCheck?.verdict !== 'RESTRICTED') throw new Error(`a department's check failed: ${JSON.stringify(answer).slice(0, 300)}`);
      return performance.now() - began;
    };

    progress(`quiet: ${QUIET} department checks, one at a time...`);
    for (let i = 0; i < 30; i++) await check();
    const quiet: number[] = [];
    for (let i = 0; i < QUIET; i++) quiet.push(await check());

    const before = Object.fromEntries(await Promise.all(Object.entries(services).map(async ([name, s]) => [name, await peakMemoryMb(s.child.pid)] as const)));
    const gatewayCpuBefore = await cpuSeconds(services.gateway.child.pid);
    progress(`under attack: ${LOOPS} abusive clients for ${SECONDS} s, department checks meanwhile...`);
    const abusers = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/abusers.ts', url, String(SECONDS), String(LOOPS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    abusers.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const abusersDone = new Promise<void>((resolve) => abusers.once('exit', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // let the attack get going
    const attacked: number[] = [];
    const failures: string[] = [];
    const until = Date.now() + (SECONDS - 2) * 1000;
    while (Date.now() < until) {
      try {
        attacked.push(await check());
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    await abusersDone;
    const gatewayCpu = (await cpuSeconds(services.gateway.child.pid)) - gatewayCpuBefore;
    const attack = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
      sent: number;
      summary: Record<string, { outcomes: Record<string, number>; p50: number; p99: number; count: number }>;
    };

    const alive: Record<string, string> = {};
    for (const [name, service] of Object.entries(services)) {
      const ready = await fetch(service.url.replace(/\/graphql$/, '/health/ready'))
        .then((r) => String(r.status))
        .catch((e: Error) => `down (${e.message})`);
      alive[name] = ready === '200' ? 'up' : ready;
    }
    const memory = Object.fromEntries(await Promise.all(Object.entries(services).map(async ([name, s]) => [name, await peakMemoryMb(s.child.pid)] as const)));

    const [q50, q99, a50, a99] = [percentile(quiet, 50), percentile(quiet, 99), percentile(attacked, 50), percentile(attacked, 99)];
    table("credit-graph under attack: a department's credit checks, alone and while anonymous clients abuse the gateway");
    table(
      `four services as separate processes in production mode on embedded PGlite, seeded; ${LOOPS} abusive clients for ${SECONDS} s from rotating forwarded addresses`,
    );
    table();
    table('department creditCheck (one code), ms     p50      p99   requests  failed');
    table(
      `quiet                                    ${q50.toFixed(2).padStart(6)}  ${q99.toFixed(2).padStart(7)}  ${String(quiet.length).padStart(9)}  ${'0'.padStart(6)}`,
    );
    table(
      `under attack                             ${a50.toFixed(2).padStart(6)}  ${a99.toFixed(2).padStart(7)}  ${String(attacked.length).padStart(9)}  ${String(failures.length).padStart(6)}`,
    );
    table(`ratio (attack / quiet)                   ${(a50 / q50).toFixed(2).padStart(5)}x  ${(a99 / q99).toFixed(2).padStart(6)}x   (goal ≤ 1.50x)`);
    table();
    table(
      `abusive requests: ${attack.sent} in ${SECONDS} s; the gateway spent ${gatewayCpu.toFixed(1)} CPU s in all (${((gatewayCpu * 1000) / Math.max(1, attack.sent + attacked.length)).toFixed(2)} ms per request of either kind)`,
    );
    table('how they were answered, and how fast (ms):');
    for (const [name, s] of Object.entries(attack.summary ?? {})) {
      const outcomes = Object.entries(s.outcomes)
        .map(([o, n]) => `${o} ×${n}`)
        .join(', ');
      table(`  ${name.padEnd(26)} ${String(s.count).padStart(6)}  p50 ${s.p50.toFixed(1).padStart(6)}  p99 ${s.p99.toFixed(1).padStart(7)}  ${outcomes}`);
    }
    table();
    table(
      `peak resident memory (MB), before the attack → after: ${Object.entries(memory)
        .map(([n, mb]) => `${n} ${before[n]!.toFixed(0)} → ${mb.toFixed(0)}`)
        .join(', ')}`,
    );
    table(
      `after the attack: ${Object.entries(alive)
        .map(([n, s]) => `${n} ${s}`)
        .join(', ')}`,
    );
    if (failures.length > 0) table(`department failures: ${[...new Set(failures)].slice(0, 3).join(' | ')}`);
  } finally {
    progress('stopping...');
    for (const service of Object.values(services)) await service.stop('SIGTERM').catch(() => undefined);
    killAll();
    await rm(dir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`\nbench:abuse aborted: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
