/**
 * The one registry of scopes a token can carry (the public contract: add scopes, never rename them).
 * The SDL's @access lists, the gateway's policy and the subgraphs' own checks all name scopes from here.
 */
export const Scope = {
  /** Credit files beyond the public part, as far as the caller's function allows (A1). */
  READ: 'credit:read',
  /** Personal data in full, with an allowed purpose (A2). */
  READ_PERSONAL: 'credit:read:personal',
  /** Trade-secret data in full. */
  READ_SECRET: 'credit:read:secret',
  /** Determine entries and end them, as the determining authority. */
  LISTING_WRITE: 'listing:write',
  /** Respond to and feed back on the caller department's tasks (E2, E3). */
  ENFORCEMENT_ACT: 'enforcement:act',
  /** Credit checks (E4). */
  CHECK_RUN: 'check:run',
  /** Accept and decide objections and repairs on the caller department's entries. */
  REPAIR_DECIDE: 'repair:decide',
  /** A subject files objections, commitments and repair applications on its own entries. */
  REPAIR_APPLY: 'repair:apply',
  /** Anyone else reports against an entry, with evidence (R1). */
  REPAIR_REPORT: 'repair:report',
  /** R6, A5: a credit-service agency files a credit report it issued, in its own name (agency tokens only). */
  REPORT_SUBMIT: 'report:submit',
  /** L14: an employer receives and acknowledges the notices of its staff's listings that may not be published (its own subject token). */
  NOTICE_RECEIVE: 'notice:receive',
  /** Auditors: any subject's query log, every department's statistics. */
  AUDIT_READ: 'audit:read',
} as const;

export type Scope = (typeof Scope)[keyof typeof Scope];

/** The lists a market partner's token (a bank, agency, association, media) lets it see (A4, A5): `list:RED`, `list:BLACK`, `list:FOCUS`, `list:WARNING`. */
export const listScope = (kind: string): string => `list:${kind}`;
