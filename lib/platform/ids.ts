import { createHash } from 'node:crypto';

/** A UUID-shaped id derived from `text`: the same text always names the same row (idempotent inserts, stable demo ids). */
export function stableUuid(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
