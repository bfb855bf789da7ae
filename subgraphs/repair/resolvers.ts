import { Scope } from '../../lib/contracts/scopes.js';
import { requireScope, type Caller } from '../../lib/contracts/caller.js';
import { DateScalar } from '../../lib/platform/graphql/date.js';
import { applyForRepair, decideRepair, type DecideRepairInput, type RepairApplicationInput } from './applications.js';
import { isRepairSubject, repairOutlook } from './conditions.js';
import { declare, earlierVersions, withdrawDeclaration, type DeclareInput } from './declarations.js';
import type { RepairLoaders } from './loaders.js';
import type { Declaration, Objection, Rectification, RepairApplication } from './model.js';
import {
  acceptObjection,
  decideObjection,
  extendObjection,
  fileObjection,
  refuseObjection,
  requestReconsideration,
  verifyObjection,
  type DecideObjectionInput,
  type FileObjectionInput,
} from './objections.js';
import type { RepairDeps } from './parties.js';
import { confirmRectified, recordInterview, requireRectification, type InterviewRecordInput, type RectificationInput } from './rectification.js';
import {
  makeCommitment,
  recordTraining,
  submitAgencyCreditReport,
  submitCreditReport,
  type AgencyCreditReportInput,
  type CreditReportInput,
  type TrainingInput,
} from './records.js';
import { RepairStore } from './store.js';

export interface RepairContext {
  caller: Caller;
  loaders: RepairLoaders;
  /** The service's today, for deadlines (overdue) and conditions (R7). */
  today: string;
}

const entryRef = (row: { entryId: string | null }) => (row.entryId ? { __typename: 'ListEntry', id: row.entryId } : null);
const subjectRef = (row: { subjectCode: string }) => ({ __typename: 'Subject', code: row.subjectCode });
const overdue = (row: { dueBy: string | null }, _: unknown, { today }: RepairContext) => row.dueBy !== null && row.dueBy < today;

/** The department a decider acts for: the gateway required repair:decide; a subgraph checks again. */
function decider(caller: Caller): string {
  requireScope(caller, Scope.REPAIR_DECIDE);
  return caller.department ?? '';
}

export function repairResolvers(deps: RepairDeps) {
  const { db } = deps;
  type Args<T> = { input: T };
  // CAL: a deadline in a year without a holiday notice may still move
  const dueByProvisional = (row: { dueBy: string | null }) => row.dueBy !== null && deps.calendar.isProvisional(row.dueBy);
  return {
    Date: DateScalar,
    Query: {
      objectionsToDecide: (_: unknown, __: unknown, { caller }: RepairContext) => new RepairStore(db).openObjectionsOf(decider(caller)),
      repairsToDecide: (_: unknown, __: unknown, { caller }: RepairContext) => new RepairStore(db).openRepairsOf(decider(caller)),
    },
    Mutation: {
      fileObjection: (_: unknown, { input }: Args<FileObjectionInput>, { caller }: RepairContext) => fileObjection(deps, caller, input),
      acceptObjection: (_: unknown, { id }: { id: string }, { caller }: RepairContext) => acceptObjection(deps, caller, id),
      refuseObjection: (_: unknown, a: { id: string; reason: string }, { caller }: RepairContext) => refuseObjection(deps, caller, a.id, a.reason),
      verifyObjection: (_: unknown, a: { id: string; findings: string }, { caller }: RepairContext) => verifyObjection(deps, caller, a.id, a.findings),
      extendObjection: (_: unknown, a: { id: string; reason: string }, { caller }: RepairContext) => extendObjection(deps, caller, a.id, a.reason),
      decideObjection: (_: unknown, { input }: Args<DecideObjectionInput>, { caller }: RepairContext) => decideObjection(deps, caller, input),
      requestReconsideration: (_: unknown, a: { objectionId: string; grounds: string }, { caller }: RepairContext) =>
        requestReconsideration(deps, caller, a.objectionId, a.grounds),
      requireRectification: (_: unknown, { input }: Args<RectificationInput>, { caller }: RepairContext) => requireRectification(deps, caller, input),
      confirmRectified: (_: unknown, { id }: { id: string }, { caller }: RepairContext) => confirmRectified(deps, caller, id),
      recordInterview: (_: unknown, { input }: Args<InterviewRecordInput>, { caller }: RepairContext) => recordInterview(deps, caller, input),
      makeCommitment: (_: unknown, { text }: { text: string }, { caller }: RepairContext) => makeCommitment(deps, caller, text),
      recordTraining: (_: unknown, { input }: Args<TrainingInput>, { caller }: RepairContext) => recordTraining(deps, caller, input),
      submitCreditReport: (_: unknown, { input }: Args<CreditReportInput>, { caller }: RepairContext) => submitCreditReport(deps, caller, input),
      // R6, A5: the agency that issued a report files it under its own token
      submitAgencyCreditReport: (_: unknown, { input }: Args<AgencyCreditReportInput>, { caller }: RepairContext) =>
        submitAgencyCreditReport(deps, caller, input),
      applyForRepair: (_: unknown, { input }: Args<RepairApplicationInput>, { caller }: RepairContext) => applyForRepair(deps, caller, input),
      decideRepair: (_: unknown, { input }: Args<DecideRepairInput>, { caller }: RepairContext) => decideRepair(deps, caller, input),
      // R9: the subject's own statements on its file and its entries
      declare: (_: unknown, { input }: Args<DeclareInput>, { caller }: RepairContext) => declare(deps, caller, input),
      withdrawDeclaration: (_: unknown, { id }: { id: string }, { caller }: RepairContext) => withdrawDeclaration(deps, caller, id),
    },
    Subject: {
      objections: (s: { code: string }, _: unknown, { loaders }: RepairContext) => loaders.objectionsOfSubject.load(s.code),
      repairs: (s: { code: string }, _: unknown, { loaders }: RepairContext) => loaders.repairsOfSubject.load(s.code),
      rectifications: (s: { code: string }, _: unknown, { loaders }: RepairContext) => loaders.rectificationsOfSubject.load(s.code),
      interviews: (s: { code: string }, _: unknown, { loaders }: RepairContext) => loaders.interviewsOfSubject.load(s.code),
      commitments: (s: { code: string }, _: unknown, { loaders }: RepairContext) => loaders.commitmentsOfSubject.load(s.code),
      trainings: (s: { code: string }, _: unknown, { loaders }: RepairContext) => loaders.trainingsOfSubject.load(s.code),
      creditReports: (s: { code: string }, _: unknown, { loaders }: RepairContext) => loaders.creditReportsOfSubject.load(s.code),
      // R9: the current statements (on the file and on each entry); with `all`, every version
      declarations: async (s: { code: string }, { all }: { all?: boolean | null }, { loaders }: RepairContext) =>
        (await loaders.declarationsOfSubject.load(s.code)).filter((d) => all === true || d.status === 'CURRENT'),
      repairOutlook: async (s: { code: string }, _: unknown, { loaders, today }: RepairContext) => {
        const [entries, rectifications, commitments, trainings, creditReports, repairs] = await Promise.all([
          loaders.entriesOfSubject.load(s.code),
          loaders.rectificationsOfSubject.load(s.code),
          loaders.commitmentsOfSubject.load(s.code),
          loaders.trainingsOfSubject.load(s.code),
          loaders.creditReportsOfSubject.load(s.code),
          loaders.repairsOfSubject.load(s.code),
        ]);
        const records = { rectifications, commitments, trainings, creditReports, repairs };
        return entries.filter(isRepairSubject).map((entry) => repairOutlook(entry, records, deps.terms, today));
      },
    },
    Objection: {
      __resolveReference: (ref: { id: string }, { loaders }: RepairContext) => loaders.objection.load(ref.id),
      subject: subjectRef,
      entry: entryRef,
      overdue,
      dueByProvisional,
      // A2: the subject's own filing would repeat its code unmasked (a person's ID number); `subject` carries it masked
      filedBy: (o: Objection) => (o.kind === 'REPORT' ? o.filedBy : null),
      correction: (o: Objection) => (o.apology && o.clarification ? { correctedOn: o.decidedOn, apology: o.apology, clarification: o.clarification } : null),
      reconsiders: (o: Objection, _: unknown, { loaders }: RepairContext) => (o.reconsiders ? loaders.objection.load(o.reconsiders) : null),
    },
    RepairApplication: {
      __resolveReference: (ref: { id: string }, { loaders }: RepairContext) => loaders.repair.load(ref.id),
      subject: subjectRef,
      entry: entryRef,
      overdue: (r: RepairApplication, a: unknown, c: RepairContext) => r.status === 'APPLIED' && overdue(r, a, c),
      dueByProvisional,
    },
    Rectification: {
      subject: subjectRef,
      entry: entryRef,
      overdue: (r: Rectification, _: unknown, { today }: RepairContext) => r.rectifiedOn === null && r.deadline < today,
    },
    Interview: { subject: subjectRef, entry: entryRef },
    Commitment: { subject: subjectRef },
    Training: { subject: subjectRef },
    CreditReport: { subject: subjectRef },
    // R9: listings' entity; repair adds the statement shown with it
    ListEntry: {
      declaration: (e: { id: string }, _: unknown, { loaders }: RepairContext) => loaders.declarationOnEntry.load(e.id),
    },
    Declaration: {
      subject: subjectRef,
      entry: entryRef,
      target: (d: Declaration) => (d.entryId ? 'ENTRY' : 'FILE'),
      history: async (d: Declaration, _: unknown, { loaders }: RepairContext) => earlierVersions(d, await loaders.declarationsOfSubject.load(d.subjectCode)),
    },
    RepairOutlook: {
      subject: (o: { entry: { subjectCode: string } }) => subjectRef(o.entry),
      entry: (o: { entry: { entryId: string } }) => entryRef(o.entry),
      authority: (o: { entry: { authority: string } }) => o.entry.authority,
      severity: (o: { entry: { severity: string | null } }) => o.entry.severity,
    },
  };
}
