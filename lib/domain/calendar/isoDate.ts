/**
 * Calendar dates as the working-day calendar counts them: ISO `YYYY-MM-DD` strings (calendar dates in China,
 * no time of day, no time zone), turned into day numbers (days since 1970-01-01) so that counting is integer
 * arithmetic. Anything that is not a real date is a RangeError naming the value.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : `${String(value)} (${typeof value})`;
}

/** The day number of a real calendar date written `YYYY-MM-DD`; a RangeError otherwise (no 2025-02-29, no 2025-1-5). */
export function toDayNumber(date: unknown, what = 'date'): number {
  const m = typeof date === 'string' ? ISO_DATE.exec(date) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(0);
    t.setUTCFullYear(y, mo - 1, d);
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) return t.getTime() / MS_PER_DAY;
  }
  throw new RangeError(`${what}: not a date: ${describe(date)} (expected a real calendar date written YYYY-MM-DD)`);
}

/** The `YYYY-MM-DD` of a day number. */
export function fromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The day of the week of a day number: 0 Sunday … 6 Saturday. */
export function weekday(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCDay();
}

/** The day number of 1 January (month 1, day 1) or any other day of `year`. */
export function dayNumberOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}
