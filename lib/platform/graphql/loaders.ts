import DataLoader from 'dataloader';

/**
 * One-to-one: a batch of keys → one fetch; each key gets its row or null. `fetch` may return rows in any
 * order and omit missing keys.
 */
export function byKey<K extends string, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (v: V) => K): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const found = new Map((await fetch(keys)).map((v) => [keyOf(v), v] as const));
    return keys.map((k) => found.get(k) ?? null);
  });
}

/** One-to-many: a batch of keys → one fetch; each key gets its rows (in fetch order), or none. */
export function groupedBy<K extends string, V>(fetch: (keys: readonly K[]) => Promise<V[]>, groupOf: (v: V) => K): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const groups = new Map<K, V[]>();
    for (const v of await fetch(keys)) {
      const key = groupOf(v);
      const list = groups.get(key);
      if (list) list.push(v);
      else groups.set(key, [v]);
    }
    return keys.map((k) => groups.get(k) ?? []);
  });
}
