import type { GatewayContext } from './context.js';
import { clientOf } from './identify.js';

/**
 * Root fields that record themselves when read (E4: a credit check is a record of who checked whom): two identical
 * checks are two records, so a fetch that selects one is never shared.
 */
const RECORDED_READS = /\bcreditChecks?\b/;

/**
 * The key under which identical subgraph fetches in flight at once are sent only once: the caller exactly as the
 * subgraph sees it (its proof's caller, every claim), the client (without a token, the address: a fetch that rode on
 * another's ends sooner, and would tell one anonymous client what another is reading), the document and the
 * variables. Null for anything that must reach the subgraph itself: a mutation, a read that records itself, a fetch
 * without a caller.
 */
export function sharedFetchKey(
  who: Pick<GatewayContext, 'caller' | 'clientAddress'> | undefined,
  query: string,
  variables: Record<string, unknown> | undefined,
): string | null {
  if (!who || !/^\s*(query\b|\{)/.test(query) || RECORDED_READS.test(query)) return null;
  const { caller } = who;
  const seenAs = { ...caller, scopes: [...caller.scopes].sort(), allowedPurposes: [...caller.allowedPurposes].sort() };
  // the document as it is, not escaped inside JSON: keys are made for every fetch
  return `${clientOf(who)}\n${JSON.stringify(seenAs)}\n${JSON.stringify(variables ?? null)}\n${query}`;
}

/**
 * Identical fetches in flight at once share one answer: the first is sent, the others wait for it. Each gets its own
 * copy (the policy changes an answer in place): the first the answer itself, each other one made from its text,
 * which is written only when someone waited — so no two requests ever hold the same object.
 */
export class SharedFetches<T> {
  private readonly inFlight = new Map<string, { answer: Promise<T>; waiting: number; text?: string }>();

  /** `shared` is told when a fetch rode on another's. */
  async run(key: string | null, fetch: () => Promise<T>, shared: () => void): Promise<T> {
    if (key === null) return fetch();
    const running = this.inFlight.get(key);
    if (running) {
      shared();
      running.waiting++;
      await running.answer;
      return JSON.parse(running.text!) as T;
    }
    const entry: { answer: Promise<T>; waiting: number; text?: string } = { answer: fetch(), waiting: 0 };
    this.inFlight.set(key, entry);
    // in one step: from here on, a new request fetches again; the ones that waited get their copies from the text,
    // written before the first caller can change the answer
    entry.answer = entry.answer.then(
      (answer) => {
        this.inFlight.delete(key);
        if (entry.waiting > 0) entry.text = JSON.stringify(answer);
        return answer;
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    return entry.answer;
  }
}
