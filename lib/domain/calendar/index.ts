/**
 * The Chinese working-day calendar every rule that counts working days uses (domain.md L1 report within 10
 * working days, L12 publication within 7, R1/R7 objection and repair time limits, per jurisdiction).
 *
 * Source of the holidays: a data file the project keeps, `data/YYYY.json`, one per year, transcribed from the
 * State Council General Office notice 国务院办公厅关于YYYY年部分节假日安排的通知 and citing it (文号, date, and any
 * amending notice: 2019 劳动节 国办发明电〔2019〕3号, 2020 春节 extension 国办发明电〔2020〕1号). Covered: 2017 — the
 * year 发改财金规〔2017〕1798号 was issued, so no list entry under these rules is older — through 2026
 * (国办发明电〔2025〕7号). The two years after the last notice are computed (provisionalYear.ts: weekends and the
 * statutory holidays, lunar dates and 清明 computed), and a deadline that ends in them is provisional: the API says
 * so, and it is counted again when the year's file is added (provisionalDeadlines.ts; data/README.md). Beyond
 * those two years a deadline throws (CALENDAR_NOT_COVERED).
 *
 * Why not the npm package `chinese-days` (1.5.7, MIT, no dependencies, 96 kB packed / 623 kB unpacked, mostly
 * lunar calendar, solar terms and .ics files we do not need; one maintainer, data refreshed by a scheduled
 * scraper that opens AI-written pull requests; holidays 2004–2026, no 2027 in the newest release, 2026-05-08):
 *  - for a year it has no data for, it silently answers from weekends alone, and it exposes no coverage — the
 *    very error that turns a deadline into a legal mistake; we would have to keep the covered range ourselves;
 *  - a new year would reach us only when the maintainer publishes and we bump, whereas a reviewed JSON file
 *    with the notice's 文号 can be added the day the notice appears, and the data a deadline rests on is in
 *    this repository, readable and auditable beside the code.
 * Its data was used as the second source: for every day of 2017–2026 it agrees with data/ on working / not
 * working (checked when the files were written). The notices' texts were the first.
 *
 * Everything outside this folder uses the `WorkingDayCalendar` interface, so the source can be swapped (for the
 * package, a service, or a regional calendar that adds an autonomous region's own days) without touching a rule.
 */
import { loadArrangements } from './loadArrangements.js';
import { withProvisionalYears } from './provisionalYear.js';
import { createWorkingDayCalendar, type WorkingDayCalendar } from './workingDayCalendar.js';

export type { WorkingDayCalendar } from './workingDayCalendar.js';
export { createWorkingDayCalendar } from './workingDayCalendar.js';
export { CalendarCoverageError } from './errors.js';
export { calendarCoverageWarning } from './coverageWarning.js';
export { CHINA_ARRANGEMENTS, loadArrangements } from './loadArrangements.js';
export { provisionalArrangement, withProvisionalYears, PROVISIONAL_YEARS } from './provisionalYear.js';
export { traditionalDates } from './lunarCalendar.js';
export { parseYearArrangement, type DaysOff, type Notice, type WorkingWeekendDay, type YearArrangement } from './yearArrangement.js';

/** The national calendar: the State Council's arrangements in `data/`, read and checked once, at import, and the two years after them computed. */
export const chinaCalendar: WorkingDayCalendar = createWorkingDayCalendar(withProvisionalYears(loadArrangements()));
