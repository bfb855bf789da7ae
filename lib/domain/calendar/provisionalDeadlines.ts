import type { Queryable } from '../../platform/db/database.js';
import type { WorkingDayCalendar } from './workingDayCalendar.js';
import { log } from '../../platform/observe/log.js';

/**
 * Deadlines counted onto a computed year (no State Council notice yet) are counted again once the notice is added. A
 * service keeps, beside each such deadline, what it was counted from (table `provisional_deadlines`, created by each
 * counting subgraph's migrations); `recountProvisionalDeadlines` runs at the service's start (and by
 * `npm run calendar:recount`) and moves each deadline to what the calendar now says.
 */

/** Where a deadline is stored: a date column of a row with a text `id`. Names come from code, never from input. */
export interface DeadlineColumn {
  table: string;
  column: string;
}

const IDENTIFIER = /^[a-z_]+$/;
const checked = ({ table, column }: DeadlineColumn) => {
  if (!IDENTIFIER.test(table) || !IDENTIFIER.test(column)) throw new Error(`provisional deadlines: ${table}.${column} is not a plain identifier`);
  return { table, column };
};

/**
 * Counts `workingDays` after `from` for the deadline `where`/`id` and, in the same transaction, notes it when it is
 * provisional (and forgets an earlier note when it is not: the record's step moved on). Returns the deadline.
 */
export async function countDeadline(
  tx: Queryable,
  calendar: WorkingDayCalendar,
  where: DeadlineColumn,
  id: string,
  from: string,
  workingDays: number,
): Promise<string> {
  const { table, column } = checked(where);
  const due = calendar.addWorkingDays(from, workingDays);
  if (calendar.isProvisional(due)) {
    await tx.query(
      `INSERT INTO provisional_deadlines (record_table, record_column, record_id, counted_from, working_days, counted)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (record_table, record_column, record_id) DO UPDATE SET counted_from = $4, working_days = $5, counted = $6`,
      [table, column, id, from, workingDays, due],
    );
  } else {
    await tx.query('DELETE FROM provisional_deadlines WHERE record_table = $1 AND record_column = $2 AND record_id = $3', [table, column, id]);
  }
  return due;
}

interface Noted {
  record_table: string;
  record_column: string;
  record_id: string;
  counted_from: string;
  working_days: number;
  counted: string;
}

export interface Recount {
  /** Deadlines whose date changed. */
  moved: { table: string; column: string; id: string; from: string; to: string }[];
  /** Deadlines now counted on announced years only: no longer provisional. */
  settled: number;
  /** Still provisional after the recount. */
  provisional: number;
}

/**
 * Counts every noted deadline again on `calendar`. A deadline moves only while its record still holds the date that
 * was counted (a record that moved on to another step has its own deadline); settled ones are forgotten. One
 * transaction: all or nothing.
 */
export async function recountProvisionalDeadlines(
  db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  calendar: WorkingDayCalendar,
): Promise<Recount> {
  return db.transaction(async (tx) => {
    const noted = await tx.query<Noted>(
      'SELECT record_table, record_column, record_id, counted_from::text AS counted_from, working_days, counted::text AS counted FROM provisional_deadlines ORDER BY 1, 2, 3',
    );
    const result: Recount = { moved: [], settled: 0, provisional: 0 };
    for (const n of noted) {
      const { table, column } = checked({ table: n.record_table, column: n.record_column });
      const due = calendar.addWorkingDays(n.counted_from, n.working_days);
      if (due !== n.counted) {
        const updated = await tx.query(`UPDATE ${table} SET ${column} = $1 WHERE id = $2 AND ${column} = $3 RETURNING id`, [due, n.record_id, n.counted]);
        if (updated.length > 0) result.moved.push({ table, column, id: n.record_id, from: n.counted, to: due });
      }
      const key = [table, column, n.record_id];
      if (calendar.isProvisional(due)) {
        result.provisional++;
        await tx.query('UPDATE provisional_deadlines SET counted = $4 WHERE record_table = $1 AND record_column = $2 AND record_id = $3', [...key, due]);
      } else {
        result.settled++;
        await tx.query('DELETE FROM provisional_deadlines WHERE record_table = $1 AND record_column = $2 AND record_id = $3', key);
      }
    }
    return result;
  });
}

/** One line for an operator: what a recount changed. */
export function describeRecount(service: string, r: Recount): string {
  const moved = r.moved.map((m) => `${m.table}.${m.column} ${m.id}: ${m.from} → ${m.to}`).join('; ');
  return `${service}: ${r.moved.length} provisional deadline(s) moved${moved ? ` (${moved})` : ''}, ${r.settled} settled, ${r.provisional} still provisional`;
}

/**
 * For a service's periodic work: recounts at its first run — before it first answers — and not again (the calendar
 * changes only with a new release, which restarts the service). Says so when anything changed.
 */
export function recountAtStart(service: string, db: { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> }, calendar: WorkingDayCalendar) {
  let done = false;
  return async (): Promise<void> => {
    if (done) return;
    const recount = await recountProvisionalDeadlines(db, calendar);
    done = true;
    if (recount.moved.length > 0 || recount.settled > 0) log.info({ service }, describeRecount(service, recount));
  };
}
