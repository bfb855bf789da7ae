import type { EventBus } from './bus.js';
import { MemoryEventBus } from './memoryBus.js';
import { openRedisEventBus, type RedisEventBusOptions } from './redisBus.js';

/** Redis Streams when a URL is given (services in separate processes), otherwise in-process (npm start). */
export async function openEventBus(redisUrl?: string, options: RedisEventBusOptions = {}): Promise<EventBus> {
  return redisUrl ? openRedisEventBus(redisUrl, options) : new MemoryEventBus(options.groups);
}

export type { DeliveredEvent, EventBus, EventHandler, Subscription } from './bus.js';
export { forgetKey, outboxEmptied, publish, pruneDelivered, type OutboxEvent } from './outbox.js';
export { relayBatch, startOutboxRelay, type BatchResult, type OutboxRelay, type OutboxRelayOptions, type RelayBatchOptions } from './relay.js';
export { handleOnce } from './inbox.js';
export { joinBus, type BusMembership } from './joinBus.js';
export { ensureEventTables, EVENT_TABLES_SQL } from './schema.js';
export { MemoryEventBus } from './memoryBus.js';
export { RedisEventBus, openRedisEventBus, type RedisEventBusOptions } from './redisBus.js';
export { consumeEvents, publishEvent, type Handlers } from './typed.js';
