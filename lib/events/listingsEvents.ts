/**
 * The listings subgraph's event contract, shared by its consumers. What listings tells the other subgraphs (design.md: cross-subgraph effects are events, published in the
 * transaction of the change). Consumers key their idempotency on the event id, and act on the entry id.
 */
export const LISTINGS_EVENTS = {
  /** An entry is in force from `on` (at determination, or when its notice ends: L4, L5): E1 initiates measures. */
  effective: 'listings.entry.effective',
  /** An entry exited (L8, L9): E5 withdraws its open tasks; checks stop returning its measures. */
  exited: 'listings.entry.exited',
  /** rule L8(a): a wrongful black listing was deleted; every copy of it goes too (R2). */
  deleted: 'listings.entry.deleted',
} as const;

export interface EntryEffective {
  entryId: string;
  subjectCode: string;
  /** The subject's administrative division: E1 routes measures by region (定向推送). */
  region: string | null;
  kind: string;
  field: string;
  authority: string;
  on: string;
}

export interface EntryExited {
  entryId: string;
  subjectCode: string;
  kind: string;
  way: string;
  on: string;
}

export interface EntryDeleted {
  entryId: string;
  subjectCode: string;
}
