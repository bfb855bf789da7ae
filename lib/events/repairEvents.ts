/** The repair subgraph's event contract (published by repair, issue 6; handled by listings). */
export const REPAIR_EVENTS = {
  objectionFiled: 'repair.objection.filed',
  objectionDecided: 'repair.objection.decided',
  repairApproved: 'repair.application.approved',
} as const;

export interface ObjectionFiled {
  entryId: string;
}
export interface ObjectionDecided {
  entryId: string;
  upheld: boolean;
  on: string;
  reason: string;
  /** Other objections against the entry still wait for the authority: a held red entry stays held (L4). Absent: none. */
  othersOpen?: boolean;
}
export interface RepairApproved {
  entryId: string;
  on: string;
  reason: string;
}
