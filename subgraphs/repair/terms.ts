import type { Severity } from '../../lib/domain/publication.js';

/**
 * The repair subgraph's time limits and conditions: configuration, not code (domain.md: they differ by
 * province and city). Working days on the Chinese calendar unless a name says otherwise.
 */
export interface ObjectionTerms {
  /** R1: the authority says whether it accepts the objection within this many working days of filing. */
  acceptWorkingDays: number;
  /** R1: the facts are verified within this many working days of acceptance. */
  verifyWorkingDays: number;
  /** R1: the decision (upheld or rejected) within this many working days of acceptance. */
  decideWorkingDays: number;
  /** R1: where the jurisdiction allows it, the decision limit once extended (e.g. Zhejiang 5 → 20). */
  extendedDecideWorkingDays: number | null;
}

export type RepairCondition = 'COMMITMENT' | 'TRAINING' | 'CREDIT_REPORT';

export interface RepairTerms {
  /** By administrative-division prefix (the longest that matches the subject's region wins); `default` otherwise. */
  jurisdictions: Record<string, ObjectionTerms & { name: string }>;
  /** R1 (复议): the subject may ask for reconsideration within this many calendar days of the decision (行政复议法: 60). */
  reconsiderationDays: number;
  /** R7: the platform answers an application within this many working days... */
  repairAnswerWorkingDays: number;
  /** ...and the determining department decides within this many working days of receiving it. */
  repairDecideWorkingDays: number;
  /** R3: an overdue rectification leads to an interview within this many working days of the deadline. */
  interviewWithinWorkingDays: number;
  /** R5: the least class hours of credit-repair training that count. */
  trainingMinHours: number;
  /** R6: credit-service agencies qualified to issue credit reports (registered with the credit authority). */
  registeredAgencies: readonly string[];
  /** R4–R6, R7: what an application needs besides the minimum period, correction and obligations, by severity. */
  requires: Record<Severity, readonly RepairCondition[]>;
}

export const DEFAULT_REPAIR_TERMS: RepairTerms = {
  jurisdictions: {
    default: { name: 'national', acceptWorkingDays: 3, verifyWorkingDays: 10, decideWorkingDays: 15, extendedDecideWorkingDays: null },
    '31': { name: 'Shanghai', acceptWorkingDays: 1, verifyWorkingDays: 5, decideWorkingDays: 5, extendedDecideWorkingDays: null },
    '33': { name: 'Zhejiang', acceptWorkingDays: 3, verifyWorkingDays: 5, decideWorkingDays: 5, extendedDecideWorkingDays: 20 },
    '4401': { name: 'Guangzhou', acceptWorkingDays: 2, verifyWorkingDays: 10, decideWorkingDays: 15, extendedDecideWorkingDays: null },
  },
  reconsiderationDays: 60,
  repairAnswerWorkingDays: 10,
  repairDecideWorkingDays: 3,
  interviewWithinWorkingDays: 5,
  trainingMinHours: 3,
  registeredAgencies: ['CCX', 'DAGONG_CREDIT', 'PENGYUAN_CREDIT', 'CHINA_CHENGXIN', 'LIANHE_CREDIT'],
  requires: {
    MINOR: ['COMMITMENT'],
    GENERAL: ['COMMITMENT', 'CREDIT_REPORT'],
    SERIOUS: ['COMMITMENT', 'TRAINING', 'CREDIT_REPORT'],
  },
};

/** The objection limits for a subject's region: the longest configured prefix of it, else the default. */
export function objectionTermsFor(terms: RepairTerms, region: string | null): ObjectionTerms & { name: string } {
  const prefix = Object.keys(terms.jurisdictions)
    .filter((p) => p !== 'default' && region?.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];
  return terms.jurisdictions[prefix ?? 'default']!;
}
