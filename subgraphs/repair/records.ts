import { randomUUID } from 'node:crypto';
import type { Caller } from '../../lib/contracts/caller.js';
import { assertIdentifier, checkSubjectCode, normaliseCode } from '../../lib/domain/identifiers/index.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { badInput, requireText } from '../../lib/platform/graphql/validation.js';
import type { Commitment, CreditReport, Training } from './model.js';
import { asAgency, asSubject, type RepairDeps } from './parties.js';
import { RepairStore } from './store.js';

/**
 * The subject's own repair records (893 §9–§11): a public credit commitment (R4), credit-repair training (R5) and a
 * credit report from a registered agency (R6), which the subject submits or the agency files itself (A5). Each counts
 * for the entries determined on or before its date (R7).
 */
async function listedSubject(store: RepairStore, caller: Caller): Promise<string> {
  const code = asSubject(caller);
  if ((await store.entriesBySubjects([code])).length === 0) {
    throw creditError(ErrorCode.NOT_FOUND, `subject ${code} has no list entry to repair`);
  }
  return code;
}

function notFuture(argument: string, date: string, today: string): void {
  if (date > today) badInput(argument, `${argument} ${date} is in the future`);
}

/** Inserts, turning a second record of the same certificate or report number into CONFLICT. */
async function once(insert: () => Promise<void>, what: string): Promise<void> {
  try {
    await insert();
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw creditError(ErrorCode.CONFLICT, `${what} is already recorded`);
    throw error;
  }
}

/** rule R4: a public written commitment, part of the record and a condition of repair. */
export async function makeCommitment(deps: RepairDeps, caller: Caller, textInput: string): Promise<Commitment> {
  const text = requireText('text', textInput, 10_000);
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const commitment: Commitment = { id: randomUUID(), subjectCode: await listedSubject(store, caller), text, madeOn: deps.clock.today() };
    await store.insertCommitment(commitment);
    return commitment;
  });
}

export interface TrainingInput {
  provider: string;
  certificate: string;
  hours: number;
  completedOn: string;
}

/** rule R5: training counts from 3 class hours (893 §10); less is refused, nothing recorded. */
export async function recordTraining(deps: RepairDeps, caller: Caller, input: TrainingInput): Promise<Training> {
  const min = deps.terms.trainingMinHours;
  if (!Number.isFinite(input.hours) || input.hours < min) {
    throw creditError(ErrorCode.BAD_USER_INPUT, `credit-repair training counts from ${min} class hours; ${input.hours} is too few (R5)`, {
      argument: 'hours',
      rule: 'R5',
      minimum: min,
    });
  }
  if (input.hours > 200) badInput('hours', `${input.hours} class hours is not a plausible training`);
  notFuture('completedOn', input.completedOn, deps.clock.today());
  const training = {
    provider: requireText('provider', input.provider, 200),
    certificate: requireText('certificate', input.certificate, 100),
    hours: Math.round(input.hours * 10) / 10,
    completedOn: input.completedOn,
  };
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const record: Training = { id: randomUUID(), subjectCode: await listedSubject(store, caller), ...training };
    await once(() => store.insertTraining(record), `training certificate ${training.certificate} of ${training.provider}`);
    return record;
  });
}

export interface CreditReportInput {
  agency: string;
  reportNumber: string;
  issuedOn: string;
}

/** rule R6: a report counts only from a qualified (registered) credit-service agency (893 §11). */
function registeredAgency(deps: RepairDeps, agency: string, argument: string): string {
  if (!deps.terms.registeredAgencies.includes(agency)) {
    throw creditError(
      ErrorCode.RULE_REFUSED,
      `${agency} is not a registered credit-service agency (R6); registered: ${deps.terms.registeredAgencies.join(', ')}`,
      {
        argument,
        rule: 'R6',
      },
    );
  }
  return agency;
}

/** Records one credit report, once per agency and report number. */
async function recordCreditReport(
  deps: RepairDeps,
  subjectOf: (store: RepairStore) => Promise<string>,
  agency: string,
  input: { reportNumber: string; issuedOn: string },
): Promise<CreditReport> {
  notFuture('issuedOn', input.issuedOn, deps.clock.today());
  const reportNumber = requireText('reportNumber', input.reportNumber, 100);
  return deps.db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    const report: CreditReport = { id: randomUUID(), subjectCode: await subjectOf(store), agency, reportNumber, issuedOn: input.issuedOn };
    await once(() => store.insertCreditReport(report), `credit report ${reportNumber} of ${agency}`);
    return report;
  });
}

/** rule R6: the subject submits, for its own entries, a report a registered agency issued. */
export async function submitCreditReport(deps: RepairDeps, caller: Caller, input: CreditReportInput): Promise<CreditReport> {
  const agency = registeredAgency(deps, requireText('agency', input.agency, 100), 'agency');
  return recordCreditReport(deps, (store) => listedSubject(store, caller), agency, input);
}

export interface AgencyCreditReportInput {
  subject: string;
  reportNumber: string;
  issuedOn: string;
}

/**
 * rule R6, A5: a registered agency files a report it issued, under its own token: the report names the token's client,
 * never text from the input (the input has no agency), so no agency files in another's name. The subject need only be
 * a well-formed code, and the answer (a FiledCreditReport) has no link to the subject's file: whether the subject has
 * entries is not the agency's to learn (A6: a person with nothing public, or a focus entry unpublished, answers as an
 * unknown code does). A report only counts for entries determined on or before its date (R7).
 */
export async function submitAgencyCreditReport(deps: RepairDeps, caller: Caller, input: AgencyCreditReportInput): Promise<CreditReport> {
  const agency = registeredAgency(deps, asAgency(caller), 'client_id');
  const subject = normaliseCode(input.subject);
  assertIdentifier(checkSubjectCode(subject, deps.legacyCreditCodes), 'subject');
  return recordCreditReport(deps, async () => subject, agency, input);
}
