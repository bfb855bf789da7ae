import { isDeterminingAuthority } from '../../lib/contracts/access.js';
import type { Caller } from '../../lib/contracts/caller.js';
import type { Clock } from '../../lib/platform/clock.js';
import type { Database } from '../../lib/platform/db/index.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { badInput, requireText } from '../../lib/platform/graphql/validation.js';
import type { ExitWay, ListEntry } from './model.js';
import { deletedOnExit, exitWays } from './rules.js';
import { ListingsStore } from './store.js';
import { applyExit, eraseWrongful } from './transitions.js';

export interface ExitEntryInput {
  id: string;
  way: ExitWay;
  on: string;
  reason: string;
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
    const entry = await store.lockedEntry(input.id);
    if (!entry) throw creditError(ErrorCode.NOT_FOUND, `no entry ${input.id}`, { argument: 'id' });
    if (!isDeterminingAuthority(caller, entry.authority)) {
      throw creditError(ErrorCode.FORBIDDEN, `only the determining authority (${entry.authority}) ends this entry`, { argument: 'id' });
    }
    if (entry.exit && !deletedOnExit(entry, input.way)) {
      // a wrong black listing is deleted whenever it is found wrong, after its exit too (L8a)
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `entry ${entry.id} already exited on ${entry.exit.on} (${entry.exit.way})`, { argument: 'id' });
    }
    const allowed = exitWays(entry.kind);
    if (!allowed.includes(input.way)) {
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `a ${entry.kind} entry cannot exit as ${input.way}; it can as ${allowed.join(', ') || 'nothing (L6)'}`, {
        rule: entry.kind === 'RED' ? 'L9' : 'L8',
        allowed,
      });
    }
    if (input.way === 'REPAIRED') {
      // rules R7, R8: the conditions, minimum period and repairability are checked by the repair workflow, not here
      throw creditError(
        ErrorCode.RULE_REFUSED,
        'an exit after credit repair comes only from an approved repair application (applyForRepair, then decideRepair)',
        {
          rule: 'R7',
          argument: 'way',
        },
      );
    }
    if (input.on < entry.determinedOn) badInput('on', `the exit (${input.on}) cannot precede the determination (${entry.determinedOn})`);
    if (input.way === 'EXPIRED' && (entry.validUntil === null || input.on < entry.validUntil)) {
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `entry ${entry.id} is valid until ${entry.validUntil ?? 'further notice'}; it has not expired`, {
        rule: entry.kind === 'RED' ? 'L9c' : 'L8c',
      });
    }

    if (deletedOnExit(entry, input.way)) {
      await eraseWrongful(store, entry, caller.department ?? 'unknown', clock.today()); // rule L8(a): 只删不存
      return null;
    }
    const exit = { way: input.way, on: input.on, reason };
    await applyExit(store, entry, exit, caller.department ?? 'unknown', clock.today());
    return { ...entry, status: 'EXITED', exit };
  });
}
