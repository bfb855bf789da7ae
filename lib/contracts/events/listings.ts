import { z } from 'zod';
import { ENTRY_STATUSES, EXIT_WAYS, LIST_KINDS, RECIPIENT_KINDS, RESPONSIBLE_ROLES, SEVERITIES } from '../vocabulary.js';

/**
 * What the listings subgraph tells the others (design.md: cross-subgraph effects are events, published in the
 * transaction of the change). Consumers key their idempotency on the event id, and act on the entry id.
 */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD');
const id = z.string().min(1);

/** What every consumer needs to know of an entry: whose, what kind, which field, who decided, where (E1 routes by region). */
const entryRef = {
  entryId: id,
  subjectCode: id,
  /** The subject's administrative division: E1 routes measures by region (定向推送); repair's limits follow it (R1). */
  region: z.string().nullable(),
  kind: z.enum(LIST_KINDS),
  field: id,
  authority: id,
};

export const LISTINGS_EVENT_SCHEMAS = {
  'listings.entry.determined': {
    version: 1,
    description: 'An entry was determined (or derived: focus after a black exit, L8; warning, L6): repair takes objections and applications against it.',
    schema: z.object({
      ...entryRef,
      status: z.enum(ENTRY_STATUSES),
      determinedOn: date,
      validUntil: date.nullable(),
      /** Publication periods (R7); null for red and warning. */
      severity: z.enum(SEVERITIES).nullable(),
      repairable: z.boolean(),
      repairableFrom: date.nullable(),
    }),
  },
  'listings.entry.effective': {
    version: 1,
    description: 'An entry is in force from `on` (at determination, or when its notice ends: L4, L5): E1 initiates measures; checks count it (E4).',
    schema: z.object({
      ...entryRef,
      on: date,
      /** L11: published (black and red always, focus selectively); older events lack it: the L11 default. */
      published: z.boolean().optional(),
      /** L13: the persons who carry an organisation's black or focus entry; older events lack it: none. */
      responsiblePersons: z.array(z.object({ code: id, role: z.enum(RESPONSIBLE_ROLES) })).optional(),
      /** L14: an entry that may not be published is notified to this recipient instead; absent: none named. */
      recipient: z.object({ kind: z.enum(RECIPIENT_KINDS), to: id }).optional(),
    }),
  },
  'listings.entry.exited': {
    version: 1,
    description: 'An entry exited (L8, L9): E5 withdraws its open tasks; checks stop returning its measures.',
    schema: z.object({ entryId: id, subjectCode: id, kind: z.enum(LIST_KINDS), way: z.enum(EXIT_WAYS), on: date }),
  },
  'listings.entry.deleted': {
    version: 1,
    description: 'L8(a): a wrongful black listing was deleted; every copy of it goes too (R2).',
    schema: z.object({ entryId: id, subjectCode: id }),
  },
  'listings.entry.restored': {
    version: 1,
    description: 'An entry a wrongful listing had ended is back (R2), in notice or in force; in force, `effective` follows.',
    schema: z.object({ entryId: id, subjectCode: id, status: z.enum(['NOTICE', 'EFFECTIVE']) }),
  },
} as const;

/** The event types by the names the code uses. */
export const LISTINGS_EVENTS = {
  determined: 'listings.entry.determined',
  effective: 'listings.entry.effective',
  exited: 'listings.entry.exited',
  deleted: 'listings.entry.deleted',
  restored: 'listings.entry.restored',
} as const satisfies Record<string, keyof typeof LISTINGS_EVENT_SCHEMAS>;

type Payload<T extends keyof typeof LISTINGS_EVENT_SCHEMAS> = z.infer<(typeof LISTINGS_EVENT_SCHEMAS)[T]['schema']>;
export type EntryDetermined = Payload<'listings.entry.determined'>;
export type EntryEffective = Payload<'listings.entry.effective'>;
export type EntryExited = Payload<'listings.entry.exited'>;
export type EntryDeleted = Payload<'listings.entry.deleted'>;
export type EntryRestored = Payload<'listings.entry.restored'>;
