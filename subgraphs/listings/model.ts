/** The listings subgraph's records, as its resolvers and stores speak of them. */
import type { Severity } from '../../lib/domain/publication.js';

import type { EntryStatus, ExitWay, ListKind, RecipientKind, ResponsibleRole, SubjectKind } from '../../lib/contracts/vocabulary.js';

export type { EntryStatus, ExitWay, ListKind, SubjectKind };

export interface Person {
  name: string;
  idType: string;
  idNumber: string;
}

export interface Subject {
  code: string;
  kind: SubjectKind;
  name: string;
  region: string | null;
  lei: string | null;
  phone: string | null;
  address: string | null;
  legalRepresentative: Person | null;
}

/** L13: a person who carries an organisation's black or focus entry in their personal file: a link, not a copy. */
export interface Responsibility {
  entryId: string;
  personCode: string;
  role: ResponsibleRole;
}

/** L14: whom a listing that may not be published is notified to instead. */
export interface Recipient {
  kind: RecipientKind;
  to: string;
}

export interface EntryExit {
  way: ExitWay;
  on: string;
  reason: string;
  /** rules L2, L7, L9b: the black or focus entry that superseded this one. */
  by?: string | null;
}

export interface EntryChange {
  entryId: string;
  at: Date;
  actor: string;
  action: string;
  reason: string | null;
}

export interface ListEntry {
  id: string;
  subjectCode: string;
  kind: ListKind;
  status: EntryStatus;
  field: string;
  facts: string;
  authority: string;
  basis: string;
  determinedOn: string;
  validUntil: string | null;
  repairable: boolean;
  /** rule R8: repairable only from this date (null: as soon as R7's conditions are met). */
  repairableFrom: string | null;
  /** Publication periods by severity (R7); null for red and warning entries. */
  severity: Severity | null;
  published: boolean;
  evidence: string | null;
  /** rule L8: months on focus after a black exit by repair, expiry or change of standard. */
  focusMonths: number;
  /** rules L4, L5: the day a noticed entry takes effect; null when it took effect at determination. */
  effectiveOn: string | null;
  /** rule L4: an objection during publicity holds the red entry until the authority verifies it. */
  held: boolean;
  /** rule L1: reported more than the deadline after determination (flagged, not refused). */
  lateReport: boolean;
  /** rule L12: the administrative-penalty decision the entry rests on, if any. */
  penaltyDecidedOn: string | null;
  /** rule L12: published more than the deadline after that decision (flagged). */
  latePublication: boolean;
  reportedOn: string;
  exit: EntryExit | null;
  /** rule L8: the black entry whose exit put the subject on this focus entry; null otherwise. */
  follows: string | null;
}
