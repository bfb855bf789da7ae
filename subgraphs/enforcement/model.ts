export type TaskStatus = 'INITIATED' | 'ACKNOWLEDGED' | 'FED_BACK' | 'WITHDRAWN';

export interface EnforcementTask {
  id: string;
  entryId: string;
  subjectCode: string;
  department: string;
  measure: string;
  status: TaskStatus;
  initiatedOn: string;
}
