import { addDays } from '../dates.js';
import type { WorkingDayCalendar } from './workingDayCalendar.js';

/**
 * What an operator must hear at start when the holiday data runs out soon: every deadline that reaches past the
 * last covered year is refused (CALENDAR_NOT_COVERED), so the next year's file has to be added before then.
 * `withinDays` is the warning horizon: longer than the longest working-day limit counted from today (≈ 30 days).
 */
export function calendarCoverageWarning(calendar: WorkingDayCalendar, today: string, withinDays = 60): string | undefined {
  if (calendar.covers(addDays(today, withinDays))) return undefined;
  const next = calendar.lastYear + 1;
  const when = calendar.covers(today) ? `ends on ${calendar.lastYear}-12-31` : `ended on ${calendar.lastYear}-12-31`;
  return (
    `the holiday calendar ${when}: deadlines that run into ${next} are refused with CALENDAR_NOT_COVERED until ` +
    `lib/domain/calendar/data/${next}.json is added from 国务院办公厅关于${next}年部分节假日安排的通知 (lib/domain/calendar/data/README.md)`
  );
}
