import { ANONYMOUS } from '../../lib/contracts/caller.js';
import { PROOF_HEADER, proofKeys } from '../../lib/platform/auth/gatewayProof.js';
import { demoDataset, showcaseSubject } from '../../lib/demo/dataset.js';
import { creditCodeCheckChar } from '../../lib/domain/identifiers/index.js';
import { mintToken } from '../../gateway/auth/mintToken.js';
import type { RunningSystem } from '../system.js';

/**
 * E4 throughput: the same creditCheck through the gateway and sent straight to the enforcement subgraph (with
 * the gateway's proof, as the gateway would send it), interleaved in blocks in one run.
 */
export interface CheckFigures {
  workload: string;
  gateway: { mean: number; perSecond: number };
  direct: { mean: number; perSecond: number };
}

const SINGLE = 'query($c: ID!) { creditCheck(code: $c, scenario: BIDDING) { code verdict measures { code } } }';
const BATCH = 'query($c: [ID!]!) { creditChecks(codes: $c, scenario: BIDDING) { code verdict } }';

export async function benchCreditChecks(system: RunningSystem, proofSecret: string, rounds: { single: number; batch: number }): Promise<CheckFigures[]> {
  const department = { ...ANONYMOUS, kind: 'department' as const, tokenId: 'bench', clientId: 'bench', department: 'MOF', scopes: new Set(['check:run']) };
  const viaGateway = { authorization: `Bearer ${await mintToken({ caller: 'department', department: 'MOF', scopes: ['check:run'] })}` };
  const keys = proofKeys(proofSecret);
  // a proof is made for one request and accepted once, as the gateway makes one per fetch
  const direct = (query: string, variables: Record<string, unknown>) => ({
    [PROOF_HEADER]: keys.sign(department, { audience: 'enforcement', query, variables }),
  });
  const showcase = showcaseSubject().code;
  const codes = [...demoDataset().subjects.map((s) => s.code)];
  for (let i = 0; codes.length < 1000; i++) {
    const first17 = `91110105MA${String(i).padStart(7, '0')}`;
    codes.push(first17 + creditCodeCheckChar(first17));
  }

  const post = async (url: string, headersFor: Record<string, string> | typeof direct, query: string, variables: Record<string, unknown>) => {
    const began = performance.now();
    const headers = typeof headersFor === 'function' ? headersFor(query, variables) : headersFor;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: { creditCheck?: { verdict: string }; creditChecks?: unknown[] }; errors?: unknown };
    if (body.errors || !body.data) throw new Error(`credit check failed: ${JSON.stringify(body).slice(0, 300)}`);
    if (body.data.creditCheck && body.data.creditCheck.verdict !== 'RESTRICTED') throw new Error('the showcase subject should be RESTRICTED');
    if (body.data.creditChecks && body.data.creditChecks.length !== 1000) throw new Error('a batch of 1,000 should answer 1,000 checks');
    return performance.now() - began;
  };

  const measure = async (workload: string, query: string, variables: Record<string, unknown>, n: number): Promise<CheckFigures> => {
    const times = { gateway: [] as number[], direct: [] as number[] };
    const blocks = 4;
    for (let b = 0; b < blocks; b++) {
      const order = b % 2 === 0 ? (['gateway', 'direct'] as const) : (['direct', 'gateway'] as const);
      for (const target of order) {
        for (let i = 0; i < n / blocks; i++) {
          times[target].push(
            await (target === 'gateway'
              ? post(system.gatewayUrl, viaGateway, query, variables)
              : post(system.subgraphUrls.enforcement, direct, query, variables)),
          );
        }
      }
    }
    const figures = (xs: number[]) => ({ mean: xs.reduce((a, c) => a + c, 0) / xs.length, perSecond: (1000 * xs.length) / xs.reduce((a, c) => a + c, 0) });
    return { workload, gateway: figures(times.gateway), direct: figures(times.direct) };
  };

  await measure('warm-up', SINGLE, { c: showcase }, 8);
  return [
    await measure('creditCheck, one code', SINGLE, { c: showcase }, rounds.single),
    await measure('creditChecks, 1,000 codes', BATCH, { c: codes }, rounds.batch),
  ];
}
