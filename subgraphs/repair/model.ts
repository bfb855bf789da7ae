import type { EntryStatus, ListKind } from '../../lib/contracts/vocabulary.js';
import type { Severity } from '../../lib/domain/publication.js';

/** The repair subgraph's records, as its resolvers and stores speak of them. */
export type ObjectionStatus = 'FILED' | 'ACCEPTED' | 'REFUSED' | 'VERIFIED' | 'UPHELD' | 'REJECTED' | 'CLOSED';
/** An objection in these states still waits for the authority (R1). */
export const OPEN_OBJECTION: readonly ObjectionStatus[] = ['FILED', 'ACCEPTED', 'VERIFIED'];
/** OBJECTION: by the subject; REPORT (反映): by anyone else, with evidence; RECONSIDERATION (复议) of a decision. */
export type ObjectionKind = 'OBJECTION' | 'REPORT' | 'RECONSIDERATION';
export type RepairStatus = 'APPLIED' | 'APPROVED' | 'REFUSED';

/** What repair knows of a list entry, from listings' events. */
export interface EntryFacts {
  entryId: string;
  subjectCode: string;
  region: string | null;
  kind: ListKind;
  field: string;
  authority: string;
  status: EntryStatus;
  determinedOn: string;
  validUntil: string | null;
  severity: Severity | null;
  repairable: boolean;
  repairableFrom: string | null;
  exitWay: string | null;
}

export interface Objection {
  id: string;
  kind: ObjectionKind;
  /** Null once an upheld objection deleted the entry (L8a: nothing of it is kept). */
  entryId: string | null;
  subjectCode: string;
  /** The entry's determining authority, which decides. */
  authority: string;
  /** The subject's code, or the reporting caller (department or client). */
  filedBy: string;
  grounds: string | null;
  evidence: string | null;
  status: ObjectionStatus;
  filedOn: string;
  /** The deadline of the step now due; null once refused or decided. */
  dueBy: string | null;
  extended: boolean;
  /** Why the decision limit was extended (R1). */
  extensionReason: string | null;
  acceptedOn: string | null;
  verifiedOn: string | null;
  findings: string | null;
  decidedOn: string | null;
  reason: string | null;
  apology: string | null;
  clarification: string | null;
  reconsiders: string | null;
}

/** What a just-filed objection has not got yet: no extension, no step taken, no decision. */
export const NOT_YET_PROGRESSED = {
  extended: false,
  extensionReason: null,
  acceptedOn: null,
  verifiedOn: null,
  findings: null,
  decidedOn: null,
  reason: null,
  apology: null,
  clarification: null,
} as const satisfies Partial<Objection>;

export interface RepairApplication {
  id: string;
  entryId: string;
  subjectCode: string;
  /** The entry's determining authority, which decides. */
  authority: string;
  status: RepairStatus;
  appliedOn: string;
  corrected: string | null;
  obligationsMet: string | null;
  /** R7: the department's decision limit. */
  dueBy: string | null;
  /** R7: the platform's answer limit. */
  answerBy: string | null;
  decidedOn: string | null;
  reason: string | null;
}

export interface Rectification {
  id: string;
  entryId: string;
  subjectCode: string;
  authority: string;
  requirements: string;
  deadline: string;
  requiredOn: string;
  rectifiedOn: string | null;
}

export type InterviewKind = 'PROMPT' | 'WARNING';
export type InterviewOutcome = 'HELD' | 'REFUSED' | 'NOT_ATTENDED';

export interface Interview {
  id: string;
  rectificationId: string;
  entryId: string;
  subjectCode: string;
  authority: string;
  kind: InterviewKind;
  scheduledOn: string;
  outcome: InterviewOutcome | null;
  record: string | null;
  recordedOn: string | null;
}

export interface Commitment {
  id: string;
  subjectCode: string;
  text: string;
  madeOn: string;
}

export interface Training {
  id: string;
  subjectCode: string;
  provider: string;
  certificate: string;
  hours: number;
  completedOn: string;
}

export interface CreditReport {
  id: string;
  subjectCode: string;
  agency: string;
  reportNumber: string;
  issuedOn: string;
}

/** R9: one version of the subject's statement on its file (entryId null) or on one of its entries. */
export type DeclarationStatus = 'CURRENT' | 'REPLACED' | 'WITHDRAWN';

export interface Declaration {
  id: string;
  subjectCode: string;
  entryId: string | null;
  /** Per target (the file, or one entry), from 1. */
  version: number;
  text: string;
  status: DeclarationStatus;
  madeOn: string;
  replacedOn: string | null;
  withdrawnOn: string | null;
}
