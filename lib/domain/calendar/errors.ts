/**
 * A date the working-day calendar has no State Council arrangement for. Deliberately not a RangeError: the
 * caller's input is fine, our data is missing, and counting on as if that year had only weekends would
 * produce a wrong legal deadline. The message names the covered years and how to add the missing one.
 */
export class CalendarCoverageError extends Error {
  override readonly name = 'CalendarCoverageError';
  /** Stable, for logs and for mapping to an error code. */
  readonly code = 'CALENDAR_NOT_COVERED';

  constructor(
    /** The date that could not be classified (for a count that ran past the data: the first day beyond it). */
    readonly date: string,
    readonly firstYear: number,
    readonly lastYear: number,
    context = '',
  ) {
    const year = Number(date.slice(0, 4));
    const covered = `the working-day calendar covers ${firstYear}–${lastYear}`;
    const prefix = context ? `${context}: ` : '';
    const message =
      year > lastYear
        ? `${prefix}${date} is after ${lastYear}, the last year with data (${covered}): the State Council's ` +
          `holiday arrangement for ${year} is not in lib/domain/calendar/data/. Once 国务院办公厅关于${year}年部分节假日安排的通知 ` +
          `is published, add lib/domain/calendar/data/${year}.json (lib/domain/calendar/data/README.md says how); until then no ` +
          `working day in ${year} can be counted.`
        : `${prefix}${date} is before ${firstYear}, the earliest year with data (${covered}): add ` +
          `lib/domain/calendar/data/${year}.json from 国务院办公厅关于${year}年部分节假日安排的通知, and every year up to ` +
          `${firstYear - 1}, to count working days in ${year}.`;
    super(message);
  }
}
