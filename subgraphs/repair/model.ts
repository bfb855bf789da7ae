export type ObjectionStatus = 'FILED' | 'ACCEPTED' | 'REFUSED' | 'UPHELD' | 'REJECTED';
export type RepairStatus = 'APPLIED' | 'APPROVED' | 'REFUSED';

export interface Objection {
  id: string;
  entryId: string;
  subjectCode: string;
  /** The entry's determining authority, which decides. */
  authority: string;
  grounds: string;
  status: ObjectionStatus;
  filedOn: string;
}

export interface RepairApplication {
  id: string;
  entryId: string;
  subjectCode: string;
  /** The entry's determining authority, which decides. */
  authority: string;
  status: RepairStatus;
  appliedOn: string;
}
