import { randomUUID } from 'node:crypto';
import type { Caller } from '../../lib/contracts/caller.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { publishEvent } from '../../lib/platform/events/index.js';
import { REPAIR_EVENTS, type RepairApproved } from '../../lib/contracts/events/repair.js';
import { requireText } from '../../lib/platform/graphql/validation.js';
import { isRepairSubject, repairOutlook, type SubjectRecords } from './conditions.js';
import { OPEN_OBJECTION, type EntryFacts, type RepairApplication } from './model.js';
import { asAuthority, asSubject, knownEntry, type RepairDeps } from './parties.js';
import { RepairStore } from './store.js';
import { countDeadline } from '../../lib/domain/calendar/provisionalDeadlines.js';

/**
 * rule R7 (893 §13, NDRC order 2025 No. 36): the subject applies once its entry's conditions are met; the determining
 * authority decides within its limit; approval is published (outbox) and listings exits the entry as L8(b).
 * rule R8: an entry not repairable, or not yet, is refused with the reason and the earliest date.
 */
export interface RepairApplicationInput {
  entryId: string;
  corrected: string;
  obligationsMet: string;
}

export interface DecideRepairInput {
  id: string;
  approve: boolean;
  reason: string;
}

async function recordsOf(store: RepairStore, subjectCode: string): Promise<SubjectRecords> {
  // one after another: a transaction's connection runs one statement at a time
  const codes = [subjectCode];
  return {
    rectifications: await store.rectificationsBySubjects(codes),
    commitments: await store.commitmentsBySubjects(codes),
    trainings: await store.trainingsBySubjects(codes),
    creditReports: await store.creditReportsBySubjects(codes),
    repairs: await store.repairsBySubjects(codes),
  };
}

function refuseUnlessMet(entry: EntryFacts, records: SubjectRecords, deps: RepairDeps, today: string): void {
  const outlook = repairOutlook(entry, records, deps.terms, today);
  if (outlook.lacks.includes('NOT_REPAIRABLE')) {
    throw creditError(ErrorCode.RULE_REFUSED, `entry ${entry.entryId} cannot be repaired: the law bars ending its publication early (R8)`, {
      rule: 'R8',
      lacks: outlook.lacks,
    });
  }
  if (outlook.lacks.includes('TOO_EARLY')) {
    throw creditError(
      ErrorCode.RULE_REFUSED,
      `entry ${entry.entryId} can be repaired from ${outlook.earliestOn} (R8: ${entry.repairableFrom === outlook.earliestOn ? 'the date set on the entry' : `the minimum publication period of ${entry.severity} information`})`,
      {
        rule: 'R8',
        earliestOn: outlook.earliestOn,
        lacks: outlook.lacks,
      },
    );
  }
  if (outlook.lacks.includes('PENDING_APPLICATION')) {
    throw creditError(ErrorCode.CONFLICT, `an application for entry ${entry.entryId} is already waiting for a decision`, { lacks: outlook.lacks });
  }
  if (outlook.lacks.length > 0) {
    throw creditError(ErrorCode.RULE_REFUSED, `the conditions of repair are not met yet: ${outlook.lacks.join(', ')} (R7)`, {
      rule: 'R7',
      lacks: outlook.lacks,
    });
  }
}

export async function applyForRepair(deps: RepairDeps, caller: Caller, input: RepairApplicationInput): Promise<RepairApplication> {
  const corrected = requireText('corrected', input.corrected, 5000);
  const obligationsMet = requireText('obligationsMet', input.obligationsMet, 5000);
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const entry = await knownEntry(store, input.entryId);
    asSubject(caller, entry.subjectCode);
    if (!isRepairSubject(entry)) {
      throw creditError(
        ErrorCode.ILLEGAL_TRANSITION,
        `entry ${entry.entryId} is ${entry.kind} ${entry.status}: only black and focus entries in force are repaired (R7)`,
        { rule: 'R7' },
      );
    }
    const today = deps.clock.today();
    refuseUnlessMet(entry, await recordsOf(store, entry.subjectCode), deps, today);
    const id = randomUUID();
    const application: RepairApplication = {
      id,
      entryId: entry.entryId,
      subjectCode: entry.subjectCode,
      authority: entry.authority,
      status: 'APPLIED',
      appliedOn: today,
      corrected,
      obligationsMet,
      // counted, and noted when provisional (CAL)
      dueBy: await countDeadline(tx, deps.calendar, { table: 'repair_applications', column: 'due_by' }, id, today, deps.terms.repairDecideWorkingDays),
      answerBy: await countDeadline(tx, deps.calendar, { table: 'repair_applications', column: 'answer_by' }, id, today, deps.terms.repairAnswerWorkingDays),
      decidedOn: null,
      reason: null,
    };
    await store.insertRepair(application);
    return application;
  });
}

/** rule R7: the determining authority decides; approval exits the entry early (L8b) through listings. */
export async function decideRepair(deps: RepairDeps, caller: Caller, input: DecideRepairInput): Promise<RepairApplication> {
  const reason = requireText('reason', input.reason, 5000);
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const application = await store.repairForUpdate(input.id);
    if (!application) throw creditError(ErrorCode.NOT_FOUND, `no repair application ${input.id}`, { argument: 'id' });
    asAuthority(caller, application.authority, 'decide a repair application');
    if (application.status !== 'APPLIED') {
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `repair application ${input.id} was already decided (${application.status})`, { rule: 'R7' });
    }
    const entry = await knownEntry(store, application.entryId, 'id');
    if (entry.status !== 'EFFECTIVE') {
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `entry ${entry.entryId} is no longer in force (${entry.exitWay ?? entry.status})`, { rule: 'R7' });
    }
    if (input.approve) {
      // an upheld objection deletes the entry, and no focus may follow it (L8); an approval now would put one there
      const open = (await store.objectionsByEntry(entry.entryId)).find((o) => OPEN_OBJECTION.includes(o.status));
      if (open) {
        throw creditError(ErrorCode.CONFLICT, `objection ${open.id} against this entry is still open: decide it first (R1, R2)`, {
          objection: open.id,
          rule: 'R2',
        });
      }
    }
    const today = deps.clock.today();
    await store.decideRepair(application.id, input.approve ? 'APPROVED' : 'REFUSED', today, reason);
    if (input.approve) {
      const approved: RepairApproved = { entryId: entry.entryId, on: today, reason };
      await publishEvent(tx, REPAIR_EVENTS.repairApproved, entry.entryId, approved);
    }
    return (await store.repairsByIds([application.id]))[0]!;
  });
}
