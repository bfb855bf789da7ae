import { answerCacheLookups } from '../../lib/platform/observe/metrics.js';

/** How many queries the answer cache of the gateways in this process answered (`hit`) or did not (`miss`) so far. */
export async function answerCacheLookupsSoFar(result: 'hit' | 'miss'): Promise<number> {
  return (await answerCacheLookups.get()).values.filter((v) => v.labels.result === result).reduce((sum, v) => sum + v.value, 0);
}
