export type TaskStatus = 'INITIATED' | 'ACKNOWLEDGED' | 'FED_BACK' | 'WITHDRAWN';

export interface EnforcementTask {
  id: string;
  entryId: string;
  subjectCode: string;
  department: string;
  /** The entry's determining authority. */
  authority: string;
  measure: string;
  status: TaskStatus;
  initiatedOn: string;
}
