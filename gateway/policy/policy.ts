import {
  entryViewOf,
  entryVisible,
  filerOf,
  isDeterminingAuthority,
  isNamedAgency,
  isOwnFile,
  readsBeyondPublic,
  sameParty,
  isNoticeRecipient,
} from '../../lib/contracts/access.js';
import type { Caller, CallerKind } from '../../lib/contracts/caller.js';
import { Scope } from '../../lib/contracts/scopes.js';

/**
 * The disclosure policy (domain.md A1–A5), in one readable place. Change it here, bump `version`: every
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

/**
 * R9, A1, A6: whether the caller sees what a declaration is attached to. On an entry: that entry's own rule, on the
 * entry as listings has it (read through `entry`, never from a copy); an entry that could not be read is hidden. On the
 * file: whoever reached the file, since a declaration is reached only from its subject or its entry, and the subject
 * lookups already answer for a person with nothing public as for an unknown code (A6).
 */
function seesDeclared(row: Row, caller: Caller, owner: string | null): boolean {
  if (row.target === 'FILE') return typeof owner === 'string';
  const entry = row.entry;
  return row.target === 'ENTRY' && typeof entry === 'object' && entry !== null && entryVisible(entryViewOf(caller), entry as Row, owner);
}

export const POLICY = {
  version: '2026-11-27.3',

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
   *
   * The market partners (A4, A5) never see personal data in full, and none is told more than a bank:
   * - `bank`: screens borrowers, so it links one person's records across queries by a keyed hash of the ID number
   *   (never the number) and may reach the subject (phone masked).
   * - `agency` (credit-service agency, 893 §11, §15): like a bank — it builds credit reports about a subject over
   *   time, so it needs the same linkable hash and the same masked contact data, and nothing more.
   * - `association` (industry association, 893 §15): like a bank, without the phone — its self-discipline is over its
   *   member organisations; it recognises a member's legal representative by the hash but has no call to ring anyone.
   * - `media` (news media, 893 §16): they publish what they receive, so they get exactly the public portal's view —
   *   nothing a reader of the portal could not see already.
   */
  disclosure: {
    PERSONAL_ID: {
      anonymous: 'masked',
      portal: 'masked',
      bank: 'hashed',
      agency: 'hashed',
      association: 'hashed',
      media: 'masked',
      department: 'full',
      subject: 'full',
    },
    PERSON_NAME: {
      anonymous: 'masked',
      portal: 'masked',
      bank: 'masked',
      agency: 'masked',
      association: 'masked',
      media: 'masked',
      department: 'full',
      subject: 'full',
    },
    PHONE: {
      anonymous: 'withheld',
      portal: 'withheld',
      bank: 'masked',
      agency: 'masked',
      association: 'withheld',
      media: 'withheld',
      department: 'full',
      subject: 'full',
    },
    ADDRESS: {
      anonymous: 'withheld',
      portal: 'masked',
      bank: 'masked',
      agency: 'masked',
      association: 'masked',
      media: 'masked',
      department: 'full',
      subject: 'full',
    },
    TRADE_SECRET: {
      anonymous: 'withheld',
      portal: 'withheld',
      bank: 'withheld',
      agency: 'withheld',
      association: 'withheld',
      media: 'withheld',
      department: 'full',
      subject: 'full',
    },
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
    // R6, A5: and to a credit-service agency, the reports in its own name (those it filed, and those a subject
    // submitted naming it: it can tell a report it never issued)
    CreditReport: {
      needs: 'agency',
      visible: (row, caller, owner) => sharedWithDepartments.visible(row, caller, owner) || isNamedAgency(caller, row.agency),
    },
    // R7, R8: what the subject still lacks, for the subject and the authority that decides
    RepairOutlook: {
      needs: 'authority',
      visible: (row, caller, owner) => isOwnFile(caller, owner) || isDeterminingAuthority(caller, row.authority),
    },
    // R9: the subject's statement goes with what it is attached to; a version replaced or withdrawn is the record,
    // not the statement: for the subject and departments reading beyond the public part
    Declaration: {
      needs: 'target status entry { kind status published }',
      visible: (row, caller, owner) => seesDeclared(row, caller, owner) && (row.status === 'CURRENT' || isOwnFile(caller, owner) || readsBeyondPublic(caller)),
    },
    // L14: a notice of a listing that may not be published: for its recipient, the determining authority, departments
    // reading beyond the public part, and the subject itself; nobody else learns that the listing exists
    ListingNotice: {
      needs: 'recipientKind recipient authority',
      visible: (row, caller, owner) =>
        isOwnFile(caller, owner) || isNoticeRecipient(caller, row) || isDeterminingAuthority(caller, row.authority) || readsBeyondPublic(caller),
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
    ListingNotice: ['subject', 'code'],
    Objection: ['subject', 'code'],
    RepairApplication: ['subject', 'code'],
    Rectification: ['subject', 'code'],
    Interview: ['subject', 'code'],
    Commitment: ['subject', 'code'],
    Training: ['subject', 'code'],
    CreditReport: ['subject', 'code'],
    RepairOutlook: ['subject', 'code'],
    Declaration: ['subject', 'code'],
    CreditCheck: ['code'],
  } as Record<string, readonly string[]>,
} as const;

export type Policy = typeof POLICY;
