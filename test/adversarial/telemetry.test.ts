/**
 * No data leaves for a vendor: the gateway as shipped, built in a process of its own with nothing configured about
 * telemetry, attempts no connection and no name lookup beyond this machine (@apollo/gateway's default is to report
 * usage to its vendor and to probe cloud metadata endpoints).
 */
import { spawnSync } from 'node:child_process';

test('building, starting and stopping the gateway reaches nothing outside this machine', () => {
  const { APOLLO_TELEMETRY_DISABLED: _, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/kit/outboundProbe.ts'], {
    env: { ...env, NODE_OPTIONS: '', PROBE_MS: '3000' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(0);
  const attempts = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as string[];
  expect(attempts).toEqual([]);
}, 90_000);
