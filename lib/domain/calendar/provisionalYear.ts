import { addDays } from '../dates.js';
import { traditionalDates } from './lunarCalendar.js';
import type { DaysOff, YearArrangement } from './yearArrangement.js';

/**
 * A year the State Council has not arranged yet, computed: weekends, plus the statutory holidays of 全国年节及纪念日放假办法
 * as revised in 2024 (in force from 2025): 元旦 1 day, 春节 4 days from the lunar New Year's Eve, 清明, 劳动节 2 days, 端午, 中秋,
 * 国庆 3 days — the lunar dates and 清明 computed (lunarCalendar.ts), not looked up. No make-up days and no bridging: those
 * only the notice says. A deadline counted on such a year is provisional; when the notice is added, it is counted again.
 */
export function provisionalArrangement(year: number): YearArrangement {
  const t = traditionalDates(year);
  const span = (name: string, from: string, days: number): DaysOff => ({ name, from, to: addDays(from, days - 1) });
  return {
    year,
    provisional: true,
    notices: [],
    daysOff: [
      span('元旦', `${year}-01-01`, 1),
      span('春节', t.newYearsEve, 4),
      span('清明节', t.qingming, 1),
      span('劳动节', `${year}-05-01`, 2),
      span('端午节', t.dragonBoat, 1),
      span('中秋节', t.midAutumn, 1),
      span('国庆节', `${year}-10-01`, 3),
    ],
    workingDays: [],
  };
}

/** How many years after the last notice the calendar computes, so that deadlines in the next year or two can be counted. */
export const PROVISIONAL_YEARS = 2;

/** The published arrangements followed by computed ones for the years after the last of them. */
export function withProvisionalYears(published: readonly YearArrangement[], years = PROVISIONAL_YEARS): YearArrangement[] {
  const last = Math.max(...published.map((a) => a.year));
  return [...published, ...Array.from({ length: years }, (_, i) => provisionalArrangement(last + 1 + i))];
}
