import { dayNumberOf, fromDayNumber, toDayNumber, weekday } from './isoDate.js';

/**
 * One year's arrangement of public holidays and make-up working days (放假调休), as the State Council General
 * Office announces it in 国务院办公厅关于YYYY年部分节假日安排的通知 — one file `data/YYYY.json` each, transcribed
 * from the notice and citing it. A notice may reach back into the December before its year (the 2019 notice:
 * 元旦 from 2018-12-30, 2018-12-29 worked), so its dates may lie in that December too; a later notice that
 * amends the year (2019 劳动节, the 2020 春节 extension) is cited beside it and the arrangement recorded as amended.
 */
export interface YearArrangement {
  year: number;
  /** The notice(s) the dates come from: the yearly notice first, then any that amended it. */
  notices: Notice[];
  /** Spans of days off (放假, 放假调休, 补休), as the notice words them; weekend days inside a span are off anyway. */
  daysOff: DaysOff[];
  /** Weekend days that are working days (调休上班). */
  workingDays: WorkingWeekendDay[];
  /** Computed, not announced: no notice yet (provisionalYear.ts). */
  provisional?: boolean;
}

export interface Notice {
  title: string;
  /** 文号, e.g. 国办发明电〔2025〕7号. */
  number: string;
  /** 成文日期, YYYY-MM-DD. */
  issued: string;
  url?: string;
  note?: string;
}

export interface DaysOff {
  name: string;
  from: string;
  to: string;
}

export interface WorkingWeekendDay {
  name: string;
  date: string;
}

const SATURDAY = 6;
const SUNDAY = 0;
/** A typo guard: the longest span so far is 10 days (春节 2020, as extended). */
const MAX_SPAN_DAYS = 12;

function fail(source: string, problem: string): never {
  throw new Error(`${source}: ${problem}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(source: string, where: string, value: unknown, optional = false): string | undefined {
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value.trim() === '') fail(source, `${where} must be a non-empty string`);
  return value;
}

function list(source: string, where: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) fail(source, `${where} must be a list`);
  return value;
}

/**
 * Checks one year's file and returns it typed; any problem throws an Error naming the file and the entry. Beyond
 * the shape: every date is real and lies in the year (or the December before it), spans run forwards, every
 * working day is a Saturday or Sunday (a weekday is a working day anyway, so a weekday there is a typo), and no
 * day is both off and worked.
 */
export function parseYearArrangement(value: unknown, source: string): YearArrangement {
  if (!isRecord(value)) fail(source, 'expected an object { year, notices, daysOff, workingDays }');
  const year = value.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1949 || year > 9999) fail(source, `year must be a year, got ${String(year)}`);
  const earliest = dayNumberOf(year - 1, 12, 1);
  const latest = dayNumberOf(year, 12, 31);

  const day = (where: string, v: unknown): number => {
    let n: number;
    try {
      n = toDayNumber(v, where);
    } catch (e) {
      fail(source, (e as Error).message);
    }
    if (n < earliest || n > latest) fail(source, `${where} ${String(v)} is outside ${year} (only December ${year - 1} may precede it)`);
    return n;
  };

  const notices = list(source, 'notices', value.notices).map((n, i): Notice => {
    const where = `notices[${i}]`;
    if (!isRecord(n)) fail(source, `${where} must be an object`);
    try {
      toDayNumber(n.issued, `${where}.issued`);
    } catch (e) {
      fail(source, (e as Error).message);
    }
    const url = text(source, `${where}.url`, n.url, true);
    const note = text(source, `${where}.note`, n.note, true);
    return {
      title: text(source, `${where}.title`, n.title)!,
      number: text(source, `${where}.number`, n.number)!,
      issued: n.issued as string,
      ...(url ? { url } : {}),
      ...(note ? { note } : {}),
    };
  });
  if (notices.length === 0) fail(source, 'notices: cite at least the notice the dates come from');

  const off = new Set<number>();
  const daysOff = list(source, 'daysOff', value.daysOff).map((s, i): DaysOff => {
    const where = `daysOff[${i}]`;
    if (!isRecord(s)) fail(source, `${where} must be an object { name, from, to }`);
    const from = day(`${where}.from`, s.from);
    const to = day(`${where}.to`, s.to);
    if (to < from) fail(source, `${where} ends (${String(s.to)}) before it starts (${String(s.from)})`);
    if (to - from + 1 > MAX_SPAN_DAYS) {
      fail(
        source,
        `${where} is ${to - from + 1} days long, longer than any arrangement so far (10 days, 春节 2020): check the dates, or raise MAX_SPAN_DAYS if the notice says so`,
      );
    }
    for (let d = from; d <= to; d++) off.add(d);
    return { name: text(source, `${where}.name`, s.name)!, from: s.from as string, to: s.to as string };
  });

  const worked = new Set<number>();
  const workingDays = list(source, 'workingDays', value.workingDays).map((w, i): WorkingWeekendDay => {
    const where = `workingDays[${i}]`;
    if (!isRecord(w)) fail(source, `${where} must be an object { name, date }`);
    const d = day(`${where}.date`, w.date);
    const wd = weekday(d);
    if (wd !== SATURDAY && wd !== SUNDAY) {
      fail(source, `${where}.date ${fromDayNumber(d)} is a weekday: a make-up working day (调休上班) is always a Saturday or Sunday`);
    }
    if (off.has(d)) fail(source, `${where}.date ${fromDayNumber(d)} is also inside a span of days off`);
    if (worked.has(d)) fail(source, `${where}.date ${fromDayNumber(d)} is listed twice`);
    worked.add(d);
    return { name: text(source, `${where}.name`, w.name)!, date: w.date as string };
  });

  return { year, notices, daysOff, workingDays };
}
