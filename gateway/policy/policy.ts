import { entryViewOf, entryVisible, filerOf, isDeterminingAuthority, isOwnFile, readsBeyondPublic, sameParty } from '../../lib/contracts/access.js';
import type { Caller, CallerKind } from '../../lib/contracts/caller.js';
import { Scope } from '../../lib/contracts/scopes.js';

/**
 * The disclosure policy (domain.md A1–A4), in one readable place. Change it here, bump `version`: every
 * query-log record names the version it was decided under.
 */
export type Disclosure = 'full' | 'masked' | 'hashed' | 'withheld';
export type MaskStyle = 'idNumber' | 'name' | 'phone' | 'address';

export interface DataKind {
  /** personal data needs `credit:read:personal` and an allowed purpose in full; a secret needs `credit:read:secret`. */
  category: 'personal' | 'secret';
  /** How the value is shown when masked. */
  mask: MaskStyle | null;
  /** What a caller gets when the table says `full` but the caller is not entitled (scope, purpose). */
  otherwise: Exclude<Disclosure, 'full'>;
}

export interface RowRule {
  /** Fields of the row the rule reads (a selection set); the gateway fetches them under reserved aliases. */
  needs: string;
  /** A1: whether the caller may see this row at all (a hidden row is left out of its list). */
  visible(row: Row, caller: Caller, owner: string | null): boolean;
  /** A1: rows the caller sees in full, sensitive fields included (the determining authority, its own entries). */
  inFull?(row: Row, caller: Caller): boolean;
}

export type Row = Record<string, unknown>;

/** R3, R5, R6: records the platform shares with departments that read beyond the public part, and with the deciders. */
const sharedWithDepartments: RowRule = {
  needs: '',
  visible: (_row, caller, owner) =>
    isOwnFile(caller, owner) || readsBeyondPublic(caller) || (caller.kind === 'department' && caller.scopes.has(Scope.REPAIR_DECIDE)),
};

export const POLICY = {
  version: '2026-11-27.1',

  scopes: {
    personal: Scope.READ_PERSONAL,
    secret: Scope.READ_SECRET,
  },

  dataKinds: {
    PERSONAL_ID: { category: 'personal', mask: 'idNumber', otherwise: 'masked' },
    PERSON_NAME: { category: 'personal', mask: 'name', otherwise: 'masked' },
    PHONE: { category: 'personal', mask: 'phone', otherwise: 'masked' },
    ADDRESS: { category: 'personal', mask: 'address', otherwise: 'masked' },
    TRADE_SECRET: { category: 'secret', mask: null, otherwise: 'withheld' },
  } satisfies Record<string, DataKind>,

  /**
   * Data kind × caller → the most a caller of that kind may see. `subject` applies to the subject's own
   * file; in anyone else's file a subject is treated as the public (`anonymous`).
   */
  disclosure: {
    //              anonymous    portal       bank         department  subject (own file)
    PERSONAL_ID: { anonymous: 'masked', portal: 'masked', bank: 'hashed', department: 'full', subject: 'full' },
    PERSON_NAME: { anonymous: 'masked', portal: 'masked', bank: 'masked', department: 'full', subject: 'full' },
    PHONE: { anonymous: 'withheld', portal: 'withheld', bank: 'masked', department: 'full', subject: 'full' },
    ADDRESS: { anonymous: 'withheld', portal: 'masked', bank: 'masked', department: 'full', subject: 'full' },
    TRADE_SECRET: { anonymous: 'withheld', portal: 'withheld', bank: 'withheld', department: 'full', subject: 'full' },
  } satisfies Record<string, Record<CallerKind, Disclosure>>,

  /** Row rules (A1, L10, L11), by type. Types without a rule: every row their fields allow. */
  rows: {
    ListEntry: {
      needs: 'kind status authority published',
      // A1, A3, A4, L5, L10, L11: lib/contracts/access.ts, the rule the subgraphs' lookups and credit checks follow too
      visible: (row, caller, owner) => entryVisible(entryViewOf(caller), row, owner),
      inFull: (row, caller) => isDeterminingAuthority(caller, row.authority),
    },
    EnforcementTask: {
      needs: 'department authority',
      // E2/E3: a department sees its own tasks, the determining authority follows every task its entries
      // initiated, and the subject sees those about itself
      visible: (row, caller, owner) =>
        isOwnFile(caller, owner) ||
        (caller.kind === 'department' && sameParty(caller.department, row.department)) ||
        isDeterminingAuthority(caller, row.authority),
    },
    Objection: {
      needs: 'authority filedBy',
      // R1: the subject's own, the determining authority's to decide, and a report to whoever filed it
      visible: (row, caller, owner) =>
        isOwnFile(caller, owner) || isDeterminingAuthority(caller, row.authority) || (caller.kind !== 'subject' && sameParty(row.filedBy, filerOf(caller))),
    },
    RepairApplication: {
      needs: 'authority',
      visible: (row, caller, owner) => isOwnFile(caller, owner) || isDeterminingAuthority(caller, row.authority),
    },
    // R3, R5, R6: records the platform shares among departments (893 §2, §10, §11); the subject sees its own
    Rectification: sharedWithDepartments,
    Interview: sharedWithDepartments,
    Training: sharedWithDepartments,
    CreditReport: sharedWithDepartments,
    // R7, R8: what the subject still lacks, for the subject and the authority that decides
    RepairOutlook: {
      needs: 'authority',
      visible: (row, caller, owner) => isOwnFile(caller, owner) || isDeterminingAuthority(caller, row.authority),
    },
    QueryLogRecord: {
      needs: '',
      // the subject's right to know who queried its file; auditors see every file's log
      visible: (_row, caller, owner) => isOwnFile(caller, owner) || caller.scopes.has(Scope.AUDIT_READ),
    },
  } satisfies Record<string, RowRule>,

  /** The path to the code of the subject whose file a row belongs to ("own file", and the query log's subjects). */
  owners: {
    Subject: ['code'],
    ListEntry: ['subject', 'code'],
    EnforcementTask: ['subject', 'code'],
    Objection: ['subject', 'code'],
    RepairApplication: ['subject', 'code'],
    Rectification: ['subject', 'code'],
    Interview: ['subject', 'code'],
    Commitment: ['subject', 'code'],
    Training: ['subject', 'code'],
    CreditReport: ['subject', 'code'],
    RepairOutlook: ['subject', 'code'],
    CreditCheck: ['code'],
  } as Record<string, readonly string[]>,
} as const;

export type Policy = typeof POLICY;
