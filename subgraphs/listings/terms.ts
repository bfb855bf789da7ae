/**
 * The time limits of the list rules, in working days (Chinese calendar). Configuration, not code: a
 * jurisdiction may set its own (domain.md: time limits are configuration).
 */
export interface ListingTerms {
  /** rule L1: an authority reports an entry within this many working days of determination. */
  reportDeadlineWorkingDays: number;
  /** rule L4: how long a red candidate is publicly noticed before it takes effect. */
  publicityWorkingDays: number;
  /** rule L5: how long a natural person is notified before a black entry takes effect. */
  priorNoticeWorkingDays: number;
  /** rule L12: administrative-penalty information is published within this many working days of the decision. */
  penaltyPublicationWorkingDays: number;
}

export const DEFAULT_TERMS: ListingTerms = {
  reportDeadlineWorkingDays: 10,
  publicityWorkingDays: 7,
  priorNoticeWorkingDays: 5,
  penaltyPublicationWorkingDays: 7,
};
