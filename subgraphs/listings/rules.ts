import type { ExitWay, ListEntry, ListKind } from './model.js';

/**
 * The list rules of 1798号 that decide from recorded facts alone (domain.md L2, L3, L8, L9). Pure functions:
 * the mutations ask them, then write what they say.
 */

/** In force on `date`: not exited, and its validity (if any) not yet ended. */
export function isActive(entry: ListEntry, date: string): boolean {
  if (entry.exit && entry.exit.on <= date) return false;
  return entry.validUntil === null || entry.validUntil >= date;
}

/**
 * The status an entry had on `date`, from its recorded facts (its exit, validity and notice period):
 * null when it was not yet determined. Time-driven changes count on their day even before `advance` ran.
 */
export function statusOn(entry: ListEntry, date: string): ListEntry['status'] | null {
  if (entry.determinedOn > date) return null;
  if (!isActive(entry, date)) return 'EXITED';
  const held = entry.status === 'NOTICE' && entry.held; // L4: waits for the authority, whatever the date
  if (entry.effectiveOn !== null && (date < entry.effectiveOn || held)) return 'NOTICE';
  return 'EFFECTIVE';
}

/** rule L3 (and L9b): a red candidate is refused while a black or focus entry of the subject is active. */
export function redRefusal(entries: readonly ListEntry[], date: string): ListEntry | null {
  return entries.find((e) => (e.kind === 'BLACK' || e.kind === 'FOCUS') && isActive(e, date)) ?? null;
}

/** rules L8, L9: the ways each list kind can be left. */
const EXIT_WAYS: Record<ListKind, readonly ExitWay[]> = {
  BLACK: ['WRONGFUL', 'REPAIRED', 'EXPIRED', 'STANDARD_CHANGED'], // L8 (a)–(d)
  RED: ['WRONGFUL', 'SUPERSEDED', 'EXPIRED', 'STANDARD_CHANGED'], // L9 (a)–(d)
  FOCUS: ['WRONGFUL', 'REPAIRED', 'EXPIRED', 'STANDARD_CHANGED'],
  WARNING: [], // L6: follows from focus entries, never exited by hand
};

export function exitWays(kind: ListKind): readonly ExitWay[] {
  return EXIT_WAYS[kind];
}

/** rule L8: after a black exit by repair, expiry or a change of standard the subject is on focus at once; never after (a). */
export function focusFollows(entry: ListEntry, way: ExitWay): boolean {
  return entry.kind === 'BLACK' && (way === 'REPAIRED' || way === 'EXPIRED' || way === 'STANDARD_CHANGED');
}

/** rule L8(a): a wrongful black listing is deleted and nothing of it is kept (只删不存). */
export function deletedOnExit(entry: ListEntry, way: ExitWay): boolean {
  return entry.kind === 'BLACK' && way === 'WRONGFUL';
}
