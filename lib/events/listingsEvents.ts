/**
 * The listings subgraph's event contract, shared by its consumers. What listings tells the other subgraphs (design.md: cross-subgraph effects are events, published in the
 * transaction of the change). Consumers key their idempotency on the event id, and act on the entry id.
 */
export const LISTINGS_EVENTS = {
  /** An entry was determined (or derived: focus after a black exit, L8; warning, L6): repair takes objections and applications against it. */
  determined: 'listings.entry.determined',
  /** An entry is in force from `on` (at determination, or when its notice ends: L4, L5): E1 initiates measures. */
  effective: 'listings.entry.effective',
  /** An entry exited (L8, L9): E5 withdraws its open tasks; checks stop returning its measures. */
  exited: 'listings.entry.exited',
  /** rule L8(a): a wrongful black listing was deleted; every copy of it goes too (R2). */
  deleted: 'listings.entry.deleted',
  /** An entry a wrongful listing had ended is back (R2), in notice or in force; in force, `effective` follows. */
  restored: 'listings.entry.restored',
} as const;

/** What every consumer needs to know of an entry: whose, what kind, which field, who decided, where (E1 routes by region). */
export interface EntryRef {
  entryId: string;
  subjectCode: string;
  /** The subject's administrative division: E1 routes measures by region (定向推送); repair's limits follow it (R1). */
  region: string | null;
  kind: string;
  field: string;
  authority: string;
}

export interface EntryDetermined extends EntryRef {
  /** NOTICE (L4, L5) or EFFECTIVE. */
  status: string;
  determinedOn: string;
  validUntil: string | null;
  /** MINOR, GENERAL or SERIOUS: publication periods (R7); null for red and warning. */
  severity: string | null;
  repairable: boolean;
  repairableFrom: string | null;
}

export interface EntryEffective extends EntryRef {
  on: string;
  /** L11: whether the entry is published (black and red always, focus selectively); absent in older events: the L11 default. */
  published?: boolean;
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

export interface EntryRestored {
  entryId: string;
  subjectCode: string;
  status: 'NOTICE' | 'EFFECTIVE';
}
