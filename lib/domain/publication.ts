import { addMonths } from './dates.js';

/**
 * How long dishonesty information is published, by severity (信用修复管理办法, NDRC order 2025 No. 36, in force since
 * 2026-04-01): counted from the decision date; repair may end it early only after the minimum (R7), and at the maximum
 * it ends by itself. National figures: configuration, kept in one place for listings (the maximum) and repair (both).
 */
import type { Severity } from '../contracts/vocabulary.js';

export type { Severity };

export interface PublicationPeriod {
  minMonths: number;
  maxMonths: number;
}

export const PUBLICATION_PERIODS: Record<Severity, PublicationPeriod> = {
  MINOR: { minMonths: 0, maxMonths: 3 }, // 轻微: may go unpublished; at most 3 months
  GENERAL: { minMonths: 3, maxMonths: 12 }, // 一般: at least 3 months, at most 1 year
  SERIOUS: { minMonths: 12, maxMonths: 36 }, // 严重: at least 1 year, at most 3 years
};

/** Black is serious dishonesty (失信联合惩戒对象); focus is general; red and warning are not dishonesty information. */
export function defaultSeverity(kind: string): Severity | null {
  if (kind === 'BLACK') return 'SERIOUS';
  if (kind === 'FOCUS') return 'GENERAL';
  return null;
}

/** The first day repair may end publication (R7), and the last day of publication (the anniversary; it ends by itself after). */
export function publicationWindow(severity: Severity, decidedOn: string, periods = PUBLICATION_PERIODS): { earliestEnd: string; lastDay: string } {
  const { minMonths, maxMonths } = periods[severity];
  return { earliestEnd: addMonths(decidedOn, minMonths), lastDay: addMonths(decidedOn, maxMonths) };
}
