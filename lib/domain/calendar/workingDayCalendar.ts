import { CalendarCoverageError } from './errors.js';
import { dayNumberOf, fromDayNumber, toDayNumber, weekday } from './isoDate.js';
import type { YearArrangement } from './yearArrangement.js';

/**
 * Working days as the rules count them (domain.md L1, L12, R1, R7: time limits are in working days). Dates are
 * ISO `YYYY-MM-DD` calendar dates in China. A date that is not a real date, or a negative count, is a RangeError;
 * a date outside the years the calendar has data for is a CalendarCoverageError (never a guess from weekends).
 */
export interface WorkingDayCalendar {
  /** The earliest and the last calendar year the calendar has the State Council's arrangement for. */
  readonly firstYear: number;
  readonly lastYear: number;

  /** True if `date` is a working day: Monday to Friday unless a day off, or a weekend day that is worked (调休上班). */
  isWorkingDay(date: string): boolean;

  /**
   * The date `n` working days after `date`: the n-th working day strictly after it, so `date` itself never counts
   * (a report due "within 10 working days of determination" is due by `addWorkingDays(determinedOn, 10)`), and
   * `date` may be any day, a Saturday or a holiday included. n = 0: `date` itself if it is a working day, else the
   * next working day — a time limit of zero days ends on the day of the event, and a time limit never ends on a
   * day off but on the first working day after it (the rule Chinese procedure applies to a period whose last day
   * is a holiday). This keeps addWorkingDays(d, 0) ≤ addWorkingDays(d, 1), and makes it the "on or after" of d.
   */
  addWorkingDays(date: string, n: number): string;

  /**
   * The working days after `from` up to and including `to`: 0 for the same day, and
   * `workingDaysBetween(d, addWorkingDays(d, n)) === n` for n ≥ 1. If `to` is before `from` the answer is negative,
   * `-workingDaysBetween(to, from)`, so `workingDaysBetween(deadline, reportedOn) > 0` reads "late by that many
   * working days".
   */
  workingDaysBetween(from: string, to: string): number;

  /** True if the calendar has data for `date`'s year; false, never an error, for a real date outside them. */
  covers(date: string): boolean;

  /** The last year a State Council notice arranged; the years after it up to `lastYear` are computed. */
  readonly lastNoticeYear: number;

  /**
   * True if `date` lies in a computed year (no notice yet): a deadline that ends there may move when the notice is
   * added. Counting runs forwards, so a deadline is provisional exactly when the day it ends on is.
   */
  isProvisional(date: string): boolean;
}

/**
 * A calendar over the given years' arrangements, which must be consecutive years. Dates in the December before
 * a year that its notice arranges (the 2019 notice's 2018-12-29/30/31) apply to that December. For the last year,
 * a later notice could still arrange its last days of December (a New Year holiday starting on 30 or 31 December,
 * as for 2019 and 2023): the calendar can only say what has been announced.
 */
export function createWorkingDayCalendar(arrangements: readonly YearArrangement[]): WorkingDayCalendar {
  if (arrangements.length === 0) throw new Error('working-day calendar: no year has data');
  const sorted = [...arrangements].sort((a, b) => a.year - b.year);
  for (let i = 1; i < sorted.length; i++) {
    const [prev, next] = [sorted[i - 1]!.year, sorted[i]!.year];
    if (next === prev) throw new Error(`working-day calendar: ${next} is given twice`);
    if (next !== prev + 1)
      throw new Error(`working-day calendar: no data for ${prev + 1}–${next - 1}, between ${prev} and ${next}: the covered years must be consecutive`);
  }
  const firstYear = sorted[0]!.year;
  const lastYear = sorted[sorted.length - 1]!.year;
  const announced = sorted.filter((a) => !a.provisional);
  if (announced.some((a, i) => a.year !== firstYear + i)) throw new Error('working-day calendar: a computed year comes before an announced one');
  const lastNoticeYear = announced.length ? announced[announced.length - 1]!.year : firstYear - 1;
  const firstDay = dayNumberOf(firstYear, 1, 1);
  const lastDay = dayNumberOf(lastYear, 12, 31);
  const size = lastDay - firstDay + 1;

  // What each notice says about a day, by day number; a day two notices disagree about is an error.
  const said = new Map<number, { off: boolean; by: number }>();
  const record = (day: number, off: boolean, by: number) => {
    const before = said.get(day);
    if (before && before.off !== off) {
      const what = (isOff: boolean) => (isOff ? 'a day off' : 'a working day');
      throw new Error(`working-day calendar: the ${before.by} data says ${fromDayNumber(day)} is ${what(before.off)}, the ${by} data says ${what(off)}`);
    }
    said.set(day, { off, by });
  };
  for (const a of sorted) {
    for (const span of a.daysOff) {
      for (let d = toDayNumber(span.from); d <= toDayNumber(span.to); d++) record(d, true, a.year);
    }
    for (const w of a.workingDays) record(toDayNumber(w.date), false, a.year);
  }

  // working[i]: day firstDay + i is a working day; before[i]: working days among firstDay … firstDay + i - 1.
  const working = new Uint8Array(size);
  const before = new Int32Array(size + 1);
  for (let i = 0; i < size; i++) {
    const day = firstDay + i;
    const wd = weekday(day);
    const entry = said.get(day);
    working[i] = (entry ? !entry.off : wd !== 0 && wd !== 6) ? 1 : 0;
    before[i + 1] = before[i]! + working[i]!;
  }

  const coverageError = (day: number, context?: string) => new CalendarCoverageError(fromDayNumber(day), firstYear, lastYear, context);

  /** The index of a day number; CalendarCoverageError outside the data. */
  const indexOf = (day: number, context: string): number => {
    if (day < firstDay || day > lastDay) throw coverageError(day, context);
    return day - firstDay;
  };

  return {
    firstYear,
    lastYear,
    lastNoticeYear,

    isProvisional(date) {
      const day = toDayNumber(date, 'isProvisional');
      return day > dayNumberOf(lastNoticeYear, 12, 31) && day <= lastDay;
    },

    isWorkingDay(date) {
      return working[indexOf(toDayNumber(date, 'isWorkingDay'), `isWorkingDay(${date})`)] === 1;
    },

    addWorkingDays(date, n) {
      const day = toDayNumber(date, 'addWorkingDays');
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        throw new RangeError(`addWorkingDays: the number of working days must be a whole number ≥ 0, got ${String(n)}`);
      }
      const context = `addWorkingDays(${date}, ${n})`;
      const i = indexOf(day, context);
      if (n === 0 && working[i] === 1) return date;
      // The first index j > i with before[j + 1] = before[i + 1] + max(n, 1): a binary search over before[].
      const target = before[i + 1]! + Math.max(n, 1);
      if (target > before[size]!) throw coverageError(lastDay + 1, context);
      let lo = i + 1;
      let hi = size - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (before[mid + 1]! >= target) hi = mid;
        else lo = mid + 1;
      }
      return fromDayNumber(firstDay + lo);
    },

    workingDaysBetween(from, to) {
      const context = `workingDaysBetween(${from}, ${to})`;
      const [fromDay, toDay] = [toDayNumber(from, 'workingDaysBetween (from)'), toDayNumber(to, 'workingDaysBetween (to)')];
      const i = indexOf(fromDay, context);
      const j = indexOf(toDay, context);
      return before[j + 1]! - before[i + 1]!;
    },

    covers(date) {
      const day = toDayNumber(date, 'covers');
      return day >= firstDay && day <= lastDay;
    },
  };
}
