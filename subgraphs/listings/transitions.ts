import { randomUUID } from 'node:crypto';
import { addDays, addMonths } from '../../lib/domain/dates.js';
import type { EntryExit, ListEntry } from './model.js';
import { focusFollows, isActive, redRefusal } from './rules.js';
import type { ListingsStore } from './store.js';

/**
 * The state changes every path shares (a mutation, the daily advance, an event from another subgraph), so
 * each rule's consequence is written in one place. All run inside the caller's transaction.
 */

/** Records an exit; a black exit by repair, expiry or change of standard puts the subject on focus at once (L8). */
export async function applyExit(store: ListingsStore, entry: ListEntry, exit: EntryExit, actor: string, today: string): Promise<void> {
  await store.recordExit(entry.id, exit);
  await store.recordChange(entry.id, actor, 'EXITED', exit.reason, { way: exit.way, on: exit.on });
  await store.publishExited(entry, exit);
  if (focusFollows(entry, exit.way)) {
    const focus: ListEntry = {
      ...entry,
      id: randomUUID(),
      kind: 'FOCUS',
      status: 'EFFECTIVE',
      facts: `Focus after the black entry ${entry.id} exited (${exit.way}): ${entry.facts}`,
      determinedOn: exit.on,
      validUntil: addMonths(exit.on, entry.focusMonths),
      severity: 'GENERAL',
      repairableFrom: null,
      published: false,
      evidence: null,
      effectiveOn: null,
      held: false,
      lateReport: false,
      latePublication: false,
      reportedOn: today,
      exit: null,
      follows: entry.id,
    };
    await store.insertEntry(focus);
    await store.copyResponsible(entry.id, focus.id); // L13: the same persons carry the focus entry
    await store.publishDetermined(focus);
    await store.recordChange(focus.id, actor, 'DETERMINED', `L8: after ${entry.id} exited as ${exit.way}`, { from: entry.id });
    await store.publishEffective(focus, focus.determinedOn);
  }
  await reviewWarning(store, entry.subjectCode, today, actor);
}

/**
 * rules L8(a), R2: a wrongful black listing is deleted with its history, and so is what followed from it: the focus
 * entry after its exit (L8: never after (a)) and a warning that arose only because that focus counted (L6). What it
 * ended (reds, L2; the focus it took over, L7) is restored with the rules in force today. Afterwards nothing names it.
 */
export async function eraseWrongful(store: ListingsStore, black: ListEntry, actor: string, today: string): Promise<void> {
  const followers = await store.followersOf(black.id);
  for (const warning of await warningsOwedTo(store, black.subjectCode, followers)) await store.deleteEntry(warning);
  for (const focus of followers) await store.deleteEntry(focus);
  for (const ended of await store.endedBy(black.id)) await restoreEnded(store, ended, black.id, actor, today);
  await store.deleteEntry(black);
  await reviewWarning(store, black.subjectCode, today, actor);
}

/** L6 after L8(a): the warnings that arose only because a focus entry that followed the wrongful listing counted. */
async function warningsOwedTo(store: ListingsStore, subjectCode: string, followers: readonly ListEntry[]): Promise<ListEntry[]> {
  if (followers.length === 0) return [];
  const entries = await store.entriesBySubjects([subjectCode]);
  const caused = new Set(followers.map((f) => f.id));
  const fieldsWithout = (date: string) => new Set(entries.filter((e) => e.kind === 'FOCUS' && !caused.has(e.id) && isActive(e, date)).map((e) => e.field)).size;
  return entries.filter((w) => w.kind === 'WARNING' && followers.some((f) => isActive(f, w.determinedOn)) && fieldsWithout(w.determinedOn) < WARNING_FIELDS);
}

async function restoreEnded(store: ListingsStore, entry: ListEntry, erasedId: string, actor: string, today: string): Promise<void> {
  if (entry.validUntil !== null && entry.validUntil < today) {
    // out of force either way, now for its own reason, dated as the daily pass would have (L8c, L9c)
    const expired: EntryExit = { way: 'EXPIRED', on: addDays(entry.validUntil, 1), reason: `validity ended on ${entry.validUntil}` };
    await store.reviseEnd(entry.id, erasedId, 'EXITED', expired);
    await store.publishExited(entry, expired);
    return;
  }
  // L2, L3, L9b: a red stays ended while another black or focus entry is in force, now in that entry's name
  const blocker =
    entry.kind === 'RED'
      ? redRefusal(
          (await store.entriesBySubjects([entry.subjectCode])).filter((e) => e.id !== erasedId),
          today,
        )
      : null;
  if (blocker) {
    await store.reviseEnd(entry.id, erasedId, 'EXITED', { way: 'SUPERSEDED', on: entry.exit!.on, reason: supersededBy(blocker), by: blocker.id });
    return;
  }
  // L4, L5: back in its notice while that runs or an objection holds it (the daily pass or the decision ends it)
  const status = entry.held || (entry.effectiveOn !== null && entry.effectiveOn > today) ? 'NOTICE' : 'EFFECTIVE';
  await store.reviseEnd(entry.id, erasedId, status, null);
  await store.recordChange(entry.id, actor, 'RESTORED', 'the listing that ended it was found wrong and deleted (R2)', { on: today, status });
  await store.publishRestored(entry, status);
  if (status === 'EFFECTIVE') await store.publishEffective(entry, today);
}

const supersededBy = (entry: ListEntry) =>
  `${entry.kind === 'BLACK' ? 'blacklisted' : 'placed on focus'}: entry ${entry.id} (${entry.kind === 'BLACK' ? 'L2' : 'L9b'})`;

/**
 * A noticed entry takes effect (L4, L5); a black or focus entry then ends the subject's red entries (L2, L9b). A red one
 * whose publicity ends while a black or focus entry is in force does not take effect: it ends in that entry's name (L3).
 */
export async function applyEffective(store: ListingsStore, entry: ListEntry, on: string, actor: string, today: string): Promise<void> {
  const blocker = entry.kind === 'RED' ? redRefusal(await store.entriesBySubjects([entry.subjectCode]), on) : null;
  if (blocker) return applyExit(store, entry, { way: 'SUPERSEDED', on, reason: supersededBy(blocker), by: blocker.id }, actor, today);
  await store.setStatus(entry.id, 'EFFECTIVE', false);
  await store.recordChange(entry.id, actor, 'EFFECTIVE', null, { on });
  await store.publishEffective(entry, on);
  await endRedsFor({ ...entry, status: 'EFFECTIVE' }, on, store, actor, today);
}

/** rule L2 (black) and L9(b) (focus): an effective black or focus entry ends the subject's red entries. */
export async function endRedsFor(entry: ListEntry, on: string, store: ListingsStore, actor: string, today: string): Promise<void> {
  if (entry.kind !== 'BLACK' && entry.kind !== 'FOCUS') return;
  const reds = (await store.entriesBySubjects([entry.subjectCode])).filter((e) => e.kind === 'RED' && isActive(e, on));
  for (const red of reds) {
    await applyExit(store, red, { way: 'SUPERSEDED', on, reason: supersededBy(entry), by: entry.id }, actor, today);
  }
  if (entry.kind === 'FOCUS') await reviewWarning(store, entry.subjectCode, today, actor);
}

export const WARNING_AUTHORITY = 'NDRC';
const WARNING_FIELDS = 3;

/** rule L6: active focus entries in 3 or more distinct fields put the subject on the warning list; it leaves when that no longer holds. */
export async function reviewWarning(store: ListingsStore, subjectCode: string, today: string, actor: string): Promise<void> {
  const entries = await store.entriesBySubjects([subjectCode]);
  const fields = [...new Set(entries.filter((e) => e.kind === 'FOCUS' && e.status === 'EFFECTIVE' && isActive(e, today)).map((e) => e.field))].sort();
  const warning = entries.find((e) => e.kind === 'WARNING' && !e.exit);
  if (fields.length >= WARNING_FIELDS && !warning) {
    const entry: ListEntry = {
      id: randomUUID(),
      follows: null,
      subjectCode,
      kind: 'WARNING',
      status: 'EFFECTIVE',
      field: fields[0]!,
      facts: `On focus in ${fields.length} fields: ${fields.join(', ')} (L6)`,
      authority: WARNING_AUTHORITY,
      basis: '发改财金规〔2017〕1798号',
      determinedOn: today,
      validUntil: null,
      repairable: false,
      repairableFrom: null,
      severity: null,
      published: true,
      evidence: null,
      focusMonths: 12,
      effectiveOn: null,
      held: false,
      lateReport: false,
      penaltyDecidedOn: null,
      latePublication: false,
      reportedOn: today,
      exit: null,
    };
    await store.insertEntry(entry);
    await store.publishDetermined(entry);
    await store.recordChange(entry.id, actor, 'DETERMINED', entry.facts, { fields });
    await store.publishEffective(entry, today);
  } else if (fields.length < WARNING_FIELDS && warning) {
    const exit: EntryExit = { way: 'STANDARD_CHANGED', on: today, reason: `on focus in ${fields.length} fields, fewer than ${WARNING_FIELDS} (L6)` };
    await store.recordExit(warning.id, exit);
    await store.recordChange(warning.id, actor, 'EXITED', exit.reason, { way: exit.way, on: today });
    await store.publishExited(warning, exit);
  }
}
