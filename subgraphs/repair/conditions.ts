import { publicationWindow } from '../../lib/domain/publication.js';
import type { Commitment, CreditReport, EntryFacts, Rectification, RepairApplication, Training } from './model.js';
import type { RepairTerms } from './terms.js';

export type RepairLack = 'NOT_REPAIRABLE' | 'TOO_EARLY' | 'RECTIFICATION' | 'COMMITMENT' | 'TRAINING' | 'CREDIT_REPORT' | 'PENDING_APPLICATION';

/** The subject's records that count towards repairing its entries. */
export interface SubjectRecords {
  rectifications: readonly Rectification[];
  commitments: readonly Commitment[];
  trainings: readonly Training[];
  creditReports: readonly CreditReport[];
  repairs: readonly RepairApplication[];
}

export interface RepairOutlook {
  entry: EntryFacts;
  repairable: boolean;
  earliestOn: string | null;
  publicationEndsOn: string | null;
  lacks: RepairLack[];
}

/** Only dishonesty information in force is repaired: black and focus entries with a severity (R7). */
export const isRepairSubject = (entry: EntryFacts): boolean =>
  (entry.kind === 'BLACK' || entry.kind === 'FOCUS') && entry.status === 'EFFECTIVE' && entry.severity !== null;

/**
 * rules R7, R8: what stands between an entry and an approved repair on `today`. The minimum publication period of its
 * severity, or its own repairable-from date, whichever is later (R8); rectification confirmed (R3); and the records its
 * severity requires (R4–R6), made since the entry was determined. Statements of correction and obligations come with the
 * application itself.
 */
export function repairOutlook(entry: EntryFacts, records: SubjectRecords, terms: RepairTerms, today: string): RepairOutlook {
  const since = (date: string) => date >= entry.determinedOn;
  const lacks: RepairLack[] = [];
  let earliestOn: string | null = null;
  if (!entry.repairable || !entry.severity) {
    lacks.push('NOT_REPAIRABLE');
  } else {
    const minimum = publicationWindow(entry.severity, entry.determinedOn).earliestEnd;
    earliestOn = entry.repairableFrom && entry.repairableFrom > minimum ? entry.repairableFrom : minimum;
    if (today < earliestOn) lacks.push('TOO_EARLY');
  }
  if (records.rectifications.some((r) => r.entryId === entry.entryId && r.rectifiedOn === null)) lacks.push('RECTIFICATION');
  const required = entry.severity ? terms.requires[entry.severity] : [];
  const has = {
    COMMITMENT: records.commitments.some((c) => since(c.madeOn)),
    TRAINING: records.trainings.some((t) => since(t.completedOn) && t.hours >= terms.trainingMinHours),
    CREDIT_REPORT: records.creditReports.some((r) => since(r.issuedOn) && terms.registeredAgencies.includes(r.agency)),
  };
  for (const condition of required) if (!has[condition]) lacks.push(condition);
  if (records.repairs.some((r) => r.entryId === entry.entryId && r.status === 'APPLIED')) lacks.push('PENDING_APPLICATION');
  return { entry, repairable: entry.repairable && entry.severity !== null, earliestOn, publicationEndsOn: entry.validUntil, lacks };
}
