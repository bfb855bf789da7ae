export type TaskStatus = 'INITIATED' | 'ACKNOWLEDGED' | 'FED_BACK' | 'WITHDRAWN';

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
