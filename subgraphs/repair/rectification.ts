import { randomUUID } from 'node:crypto';
import type { Caller } from '../../lib/contracts/caller.js';
import type { WorkingDayCalendar } from '../../lib/domain/calendar/index.js';
import type { Queryable } from '../../lib/platform/db/index.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { badInput, requireText } from '../../lib/platform/graphql/validation.js';
import type { Interview, InterviewOutcome, Rectification } from './model.js';
import { asAuthority, knownEntry, type RepairDeps } from './parties.js';
import { RepairStore } from './store.js';
import type { RepairTerms } from './terms.js';

/**
 * rule R3 (限期整改, 893 §2): the determining authority sets what a black or focus entry's subject must rectify and by
 * when; it confirms the rectification. A deadline missed leads to one interview of the principal — a prompt interview
 * (提示约谈) for focus, a warning interview (警示约谈) for black — whose record, a refusal included, joins the file.
 */
export interface RectificationInput {
  entryId: string;
  requirements: string;
  deadline: string;
}

export async function requireRectification(deps: RepairDeps, caller: Caller, input: RectificationInput): Promise<Rectification> {
  const requirements = requireText('requirements', input.requirements, 5000);
  const today = deps.clock.today();
  if (input.deadline <= today) badInput('deadline', `the deadline ${input.deadline} must be after today (${today})`);
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const entry = await knownEntry(store, input.entryId);
    asAuthority(caller, entry.authority, 'set rectification requirements on its entry');
    if ((entry.kind !== 'BLACK' && entry.kind !== 'FOCUS') || entry.status !== 'EFFECTIVE') {
      throw creditError(
        ErrorCode.ILLEGAL_TRANSITION,
        `rectification is required of black or focus entries in force; entry ${entry.entryId} is ${entry.kind} ${entry.status}`,
        { rule: 'R3' },
      );
    }
    const rectification: Rectification = {
      id: randomUUID(),
      entryId: entry.entryId,
      subjectCode: entry.subjectCode,
      authority: entry.authority,
      requirements,
      deadline: input.deadline,
      requiredOn: today,
      rectifiedOn: null,
    };
    await store.insertRectification(rectification);
    return rectification;
  });
}

/** The authority confirms the rectification (893 §2: the subject asks it to); confirming again changes nothing. */
export async function confirmRectified(deps: RepairDeps, caller: Caller, id: string): Promise<Rectification> {
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const [rectification] = await store.rectificationsByIds([id]);
    if (!rectification) throw creditError(ErrorCode.NOT_FOUND, `no rectification ${id}`, { argument: 'id' });
    asAuthority(caller, rectification.authority, 'confirm a rectification');
    await store.confirmRectified(id, deps.clock.today());
    return (await store.rectificationsByIds([id]))[0]!;
  });
}

/** R3: schedules the interview of every rectification overdue on `today` (once each); returns how many. */
export async function scheduleInterviews(db: Queryable, today: string, calendar: WorkingDayCalendar, terms: RepairTerms): Promise<number> {
  const store = new RepairStore(db);
  const overdue = await store.overdueRectifications(today);
  const entries = new Map((await store.entriesByIds(overdue.map((r) => r.entryId))).map((e) => [e.entryId, e]));
  let scheduled = 0;
  for (const r of overdue) {
    const entry = entries.get(r.entryId);
    if (!entry || entry.status === 'EXITED') continue; // nothing left to rectify
    await store.insertInterview({
      id: randomUUID(),
      rectificationId: r.id,
      entryId: r.entryId,
      subjectCode: r.subjectCode,
      authority: r.authority,
      kind: entry.kind === 'BLACK' ? 'WARNING' : 'PROMPT',
      scheduledOn: calendar.addWorkingDays(r.deadline, terms.interviewWithinWorkingDays),
      outcome: null,
      record: null,
      recordedOn: null,
    });
    scheduled++;
  }
  return scheduled;
}

export interface InterviewRecordInput {
  id: string;
  outcome: InterviewOutcome;
  record: string;
}

/** R3: the record of the interview (held, refused, not attended) goes into the subject's file, once. */
export async function recordInterview(deps: RepairDeps, caller: Caller, input: InterviewRecordInput): Promise<Interview> {
  const record = requireText('record', input.record, 10_000);
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const interview = await store.interviewForUpdate(input.id);
    if (!interview) throw creditError(ErrorCode.NOT_FOUND, `no interview ${input.id}`, { argument: 'id' });
    asAuthority(caller, interview.authority, 'record an interview');
    if (interview.outcome) {
      throw creditError(ErrorCode.ILLEGAL_TRANSITION, `interview ${input.id} was already recorded (${interview.outcome})`, { rule: 'R3' });
    }
    await store.recordInterview(input.id, input.outcome, record, deps.clock.today());
    return (await store.interviewsByIds([input.id]))[0]!;
  });
}
