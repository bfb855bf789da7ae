import type { ListKind } from '../../lib/contracts/vocabulary.js';

export type TaskStatus = 'INITIATED' | 'ACKNOWLEDGED' | 'FED_BACK' | 'WITHDRAWN';

/** An entry in force, as enforcement knows it from listings' events (E4). */
export interface InForce {
  entryId: string;
  subjectCode: string;
  kind: ListKind;
  field: string;
  authority: string;
  region: string | null;
  since: string;
  /** L11: published; a credit check for a caller who sees only the public part leaves it out otherwise. */
  published: boolean;
  /** L13: read for a person who carries this organisation's entry: that person's code; null for the subject's own entry. */
  carriedBy: string | null;
}

export interface CheckRecord {
  clientId: string | null;
  department: string | null;
  subjectCode: string;
  scenario: string;
  verdict: string;
  measures: string[];
  entries: string[];
}

export interface TaskStatistics {
  department: string;
  measure: string;
  initiated: number;
  acknowledged: number;
  fedBack: number;
  withdrawn: number;
}

export interface TaskFeedback {
  taskId: string;
  key: string;
  scenario: string;
  outcome: string;
  on: string;
}

export interface EnforcementTask {
  id: string;
  entryId: string;
  subjectCode: string;
  department: string;
  /** The entry's determining authority. */
  authority: string;
  /** The subject's administrative division: the task goes to the department's office there (E1). */
  region: string | null;
  measure: string;
  status: TaskStatus;
  initiatedOn: string;
}
