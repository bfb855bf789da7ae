import { log } from '../../platform/observe/log.js';
import { calendarCoverageWarning, chinaCalendar } from './index.js';
import { systemClock, type Clock } from '../../platform/clock.js';

/** At the start of a service that counts working days: says so if the holiday data is about to run out. */
export function warnCalendarCoverage(clock: Clock = systemClock): void {
  const warning = calendarCoverageWarning(chinaCalendar, clock.today());
  if (warning) log.warn(warning);
}
