import type { EventBus, Subscription } from '../../lib/platform/events/index.js';
import { describeError, logOf } from '../../lib/platform/observe/log.js';
import { answerCacheInvalidationLag } from '../../lib/platform/observe/metrics.js';
import type { AnswerStore } from './answerStore.js';

const log = logOf('gateway');

/** The gateway's consumer group: one instance of the gateway handles each event (the store's generation is shared). */
export const ANSWER_CACHE_GROUP = 'gateway-answer-cache';

/**
 * Every event any service publishes moves the answer cache on — not only an entry's determination, taking effect,
 * exit, deletion or restoration: a task, an objection or a repair changes a credit file too, and an event the gateway
 * does not know yet must not leave answers standing. Coarse, and safe: what an event changes is never answered
 * from before it once the event is handled. A failed invalidation fails the handler, so the bus delivers it again.
 */
export async function invalidateOnEvents(bus: EventBus, store: AnswerStore): Promise<Subscription> {
  return bus.subscribe(ANSWER_CACHE_GROUP, async (event) => {
    try {
      await store.invalidate();
    } catch (error) {
      log.error({ error: describeError(error), event: event.type }, 'the answer cache could not be invalidated');
      throw error;
    }
    const written = Date.parse(event.createdAt);
    if (Number.isFinite(written)) answerCacheInvalidationLag.observe(Math.max(0, Date.now() - written) / 1000);
  });
}
