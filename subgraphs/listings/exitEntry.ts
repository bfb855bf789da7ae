import { randomUUID } from 'node:crypto';
import type { Caller } from '../../lib/auth/caller.js';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/db/index.js';
import { ErrorCode, creditError } from '../../lib/errors.js';
import { badInput, requireText } from '../../lib/graphql/validation.js';
import type { ExitWay, ListEntry } from './model.js';
import { deletedOnExit, exitWays, focusFollows } from './rules.js';
import { ListingsStore } from './store.js';

export interface ExitEntryInput {
  id: string;
  way: ExitWay;
  on: string;
  reason: string;
}

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/**
 * Ends an entry as its determining authority (L8, L9), in one transaction: the exit is recorded in the
 * entry's history; a black exit by repair or change of standard puts the subject on focus at once (L8); a
 * wrongful black listing is deleted with its history (L8a). Returns the exited entry, or null when deleted.
 */
export async function exitEntry(db: Database, clock: Clock, caller: Caller, input: ExitEntryInput): Promise<ListEntry | null> {
  const reason = requireText('reason', input.reason);
  if (input.on > clock.today()) badInput('on', `an exit cannot be dated in the future (${input.on})`);
  return db.transaction(async (tx) => {
    const store = new ListingsStore(tx);
    const [entry] = await store.entriesByIds([input.id]);
    if (!entry) throw creditError(ErrorCode.NOT_FOUND, `no entry ${input.id}`, { argument: 'id' });
    if (entry.authority !== caller.department) {
      throw creditError(ErrorCode.FORBIDDEN, `only the determining authority (${entry.authority}) ends this entry`, { argument: 'id' });
    }
    if (entry.exit) {
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `entry ${entry.id} already exited on ${entry.exit.on} (${entry.exit.way})`, { argument: 'id' });
    }
    const allowed = exitWays(entry.kind);
    if (!allowed.includes(input.way)) {
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `a ${entry.kind} entry cannot exit as ${input.way}; it can as ${allowed.join(', ') || 'nothing (L6)'}`, {
        rule: entry.kind === 'RED' ? 'L9' : 'L8',
        allowed,
      });
    }
    if (input.on < entry.determinedOn) badInput('on', `the exit (${input.on}) cannot precede the determination (${entry.determinedOn})`);
    if (input.way === 'EXPIRED' && (entry.validUntil === null || input.on < entry.validUntil)) {
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `entry ${entry.id} is valid until ${entry.validUntil ?? 'further notice'}; it has not expired`, {
        rule: entry.kind === 'RED' ? 'L9c' : 'L8c',
      });
    }

    if (deletedOnExit(entry, input.way)) {
      await store.deleteEntry(entry.id); // rule L8(a): 只删不存
      return null;
    }
    const exit = { way: input.way, on: input.on, reason };
    await store.recordExit(entry.id, exit);
    await store.recordEvent(entry.id, caller.department ?? 'unknown', 'EXITED', reason, { way: input.way, on: input.on });
    if (focusFollows(entry, input.way)) {
      // rule L8: focus at once, for the period the original authority set
      const focus: ListEntry = {
        ...entry,
        id: randomUUID(),
        kind: 'FOCUS',
        status: 'EFFECTIVE',
        facts: `Focus after the black entry ${entry.id} exited (${input.way}): ${entry.facts}`,
        determinedOn: input.on,
        validUntil: addMonths(input.on, entry.focusMonths),
        published: false,
        evidence: null,
        reportedOn: clock.today(),
        exit: null,
      };
      await store.insertEntry(focus);
      await store.recordEvent(focus.id, caller.department ?? 'unknown', 'DETERMINED', `L8: after ${entry.id} exited as ${input.way}`, { from: entry.id });
    }
    return { ...entry, status: 'EXITED', exit };
  });
}
