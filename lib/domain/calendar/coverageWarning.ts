import { addDays } from '../dates.js';
import type { WorkingDayCalendar } from './workingDayCalendar.js';

/**
 * What an operator must hear at start when the announced holiday data runs out soon: deadlines that reach past the
 * last notice are counted on a computed calendar (provisional, and counted again when the notice is added), and past
 * the computed years they are refused (CALENDAR_NOT_COVERED). `withinDays` is the warning horizon: longer than the
 * longest working-day limit counted from today (≈ 30 days).
 */
export function calendarCoverageWarning(calendar: WorkingDayCalendar, today: string, withinDays = 60): string | undefined {
  const horizon = addDays(today, withinDays);
  if (calendar.covers(horizon) && !calendar.isProvisional(horizon)) return undefined;
  const next = calendar.lastNoticeYear + 1;
  const add = `lib/domain/calendar/data/${next}.json from 国务院办公厅关于${next}年部分节假日安排的通知 (lib/domain/calendar/data/README.md)`;
  if (!calendar.covers(horizon)) {
    const when = calendar.covers(today) ? `ends on ${calendar.lastYear}-12-31` : `ended on ${calendar.lastYear}-12-31`;
    return `the holiday calendar ${when}: deadlines that run into ${calendar.lastYear + 1} are refused with CALENDAR_NOT_COVERED until ${add} is added`;
  }
  return `no holiday notice for ${next} yet: deadlines that run into ${next} are provisional (computed from the statutory holidays) until ${add} is added; they are counted again then`;
}
