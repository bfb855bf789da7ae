import { z } from 'zod';

/** What the repair subgraph tells listings: objections filed and decided (R1, R2, L4), repairs approved (R7, L8b). */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD');
const id = z.string().min(1);

export const REPAIR_EVENT_SCHEMAS = {
  'repair.objection.filed': {
    version: 1,
    description: 'An objection against an entry was filed (R1): a red entry in publicity is held until it is decided (L4).',
    schema: z.object({ entryId: id }),
  },
  'repair.objection.decided': {
    version: 1,
    description: 'An objection was decided (R1): upheld against a black entry, listings deletes it (L8a, R2); against a red one, it ends (L9a).',
    schema: z.object({
      entryId: id,
      upheld: z.boolean(),
      on: date,
      reason: z.string(),
      /** Other objections against the entry still wait for the authority: a held red entry stays held (L4). Absent: none. */
      othersOpen: z.boolean().optional(),
    }),
  },
  'repair.application.approved': {
    version: 1,
    description: 'A repair application was approved (R7): listings exits the entry as REPAIRED, and focus follows (L8b).',
    schema: z.object({ entryId: id, on: date, reason: z.string() }),
  },
} as const;

export const REPAIR_EVENTS = {
  objectionFiled: 'repair.objection.filed',
  objectionDecided: 'repair.objection.decided',
  repairApproved: 'repair.application.approved',
} as const satisfies Record<string, keyof typeof REPAIR_EVENT_SCHEMAS>;

type Payload<T extends keyof typeof REPAIR_EVENT_SCHEMAS> = z.infer<(typeof REPAIR_EVENT_SCHEMAS)[T]['schema']>;
export type ObjectionFiled = Payload<'repair.objection.filed'>;
export type ObjectionDecided = Payload<'repair.objection.decided'>;
export type RepairApproved = Payload<'repair.application.approved'>;
