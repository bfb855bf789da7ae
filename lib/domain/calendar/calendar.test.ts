import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CalendarCoverageError,
  calendarCoverageWarning,
  provisionalArrangement,
  traditionalDates,
  withProvisionalYears,
  chinaCalendar,
  createWorkingDayCalendar,
  loadArrangements,
  parseYearArrangement,
  type YearArrangement,
} from './index.js';

const cal = chinaCalendar;

/** Every date from `from` to `to` inclusive. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, none was thrown');
}

// Sources for the holiday facts below:
// 2025 — 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号, 2024-11-12: 春节 1月28日至2月4日放假调休,
//        1月26日（周日）、2月8日（周六）上班; 国庆节、中秋节 10月1日至8日放假调休, 9月28日（周日）、10月11日（周六）上班.
// 2026 — 国务院办公厅关于2026年部分节假日安排的通知, 国办发明电〔2025〕7号, 2025-11-04 (as published by Xinhua and
//        carried by gmw.cn, and identical in the chinese-days package's data): 元旦 1月1日至3日, 1月4日（周日）上班;
//        春节 2月15日至23日放假调休, 2月14日（周六）、2月28日（周六）上班; 中秋节 9月25日至27日;
//        国庆节 10月1日至7日放假调休, 9月20日（周日）、10月10日（周六）上班.
// 2024 — 国办发明电〔2023〕7号: 春节 2月10日至17日, 2月4日（周日）、2月18日（周日）上班.

describe('2025 Spring Festival (国办发明电〔2024〕12号)', () => {
  test('28 January to 4 February are days off, weekdays included', () => {
    for (const d of days('2025-01-28', '2025-02-04')) expect([d, cal.isWorkingDay(d)]).toEqual([d, false]);
    // Tuesday 28 January and Monday 3 February would be working days on weekends alone.
    expect(cal.isWorkingDay('2025-01-28')).toBe(false);
    expect(cal.isWorkingDay('2025-02-03')).toBe(false);
  });

  test('Sunday 26 January and Saturday 8 February are make-up working days', () => {
    expect(cal.isWorkingDay('2025-01-26')).toBe(true);
    expect(cal.isWorkingDay('2025-02-08')).toBe(true);
  });

  test('the days around it are ordinary: 27 January and 5 February are worked, 25 January and 9 February are not', () => {
    expect(cal.isWorkingDay('2025-01-27')).toBe(true);
    expect(cal.isWorkingDay('2025-02-05')).toBe(true);
    expect(cal.isWorkingDay('2025-01-25')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2025-02-09')).toBe(false); // Sunday
  });
});

describe('2025 National Day and Mid-Autumn (国办发明电〔2024〕12号)', () => {
  test('1 to 8 October are days off', () => {
    for (const d of days('2025-10-01', '2025-10-08')) expect([d, cal.isWorkingDay(d)]).toEqual([d, false]);
  });

  test('Sunday 28 September and Saturday 11 October are worked; 9 October is an ordinary Thursday', () => {
    expect(cal.isWorkingDay('2025-09-28')).toBe(true);
    expect(cal.isWorkingDay('2025-10-11')).toBe(true);
    expect(cal.isWorkingDay('2025-10-09')).toBe(true);
  });
});

describe('2026 (国办发明电〔2025〕7号)', () => {
  test('Spring Festival: 15 to 23 February off, Saturdays 14 and 28 February worked', () => {
    for (const d of days('2026-02-15', '2026-02-23')) expect([d, cal.isWorkingDay(d)]).toEqual([d, false]);
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    expect(cal.isWorkingDay('2026-02-28')).toBe(true);
    expect(cal.isWorkingDay('2026-02-24')).toBe(true); // Tuesday, back at work
  });

  test('National Day: 1 to 7 October off, Sunday 20 September and Saturday 10 October worked', () => {
    for (const d of days('2026-10-01', '2026-10-07')) expect([d, cal.isWorkingDay(d)]).toEqual([d, false]);
    expect(cal.isWorkingDay('2026-09-20')).toBe(true);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true);
    expect(cal.isWorkingDay('2026-10-08')).toBe(true); // Thursday: 2026 has no eighth day
  });

  test('Mid-Autumn is separate in 2026: Friday 25 September off; New Year: Sunday 4 January worked', () => {
    expect(cal.isWorkingDay('2026-09-25')).toBe(false);
    expect(cal.isWorkingDay('2026-01-02')).toBe(false); // Friday
    expect(cal.isWorkingDay('2026-01-04')).toBe(true); // Sunday
  });
});

describe('ordinary weeks', () => {
  test('Monday to Friday work, Saturday and Sunday do not (10–16 March 2025)', () => {
    expect(days('2025-03-10', '2025-03-16').map((d) => cal.isWorkingDay(d))).toEqual([true, true, true, true, true, false, false]);
  });

  test('a year has the working days its notice gives it: 248 in 2025 (261 weekdays − 18 off + 5 worked weekend days)', () => {
    expect(days('2025-01-01', '2025-12-31').filter((d) => cal.isWorkingDay(d))).toHaveLength(248);
    expect(cal.workingDaysBetween('2024-12-31', '2025-12-31')).toBe(248);
  });
});

describe('amended years and December reached by the next notice', () => {
  test('2020: the extension to 2 February makes Saturday 1 February a day off, Monday 3 February the first working day', () => {
    expect(cal.isWorkingDay('2020-01-31')).toBe(false);
    expect(cal.isWorkingDay('2020-02-01')).toBe(false);
    expect(cal.isWorkingDay('2020-02-03')).toBe(true);
    expect(cal.isWorkingDay('2020-01-19')).toBe(true); // Sunday, still worked
  });

  test('2019: Labour Day as amended (1–4 May off, Sundays 28 April and 5 May worked)', () => {
    expect(cal.isWorkingDay('2019-05-02')).toBe(false);
    expect(cal.isWorkingDay('2019-04-28')).toBe(true);
    expect(cal.isWorkingDay('2019-05-05')).toBe(true);
  });

  test('2018: Saturday 29 December worked and Monday 31 December off, from the 2019 notice', () => {
    expect(cal.isWorkingDay('2018-12-29')).toBe(true);
    expect(cal.isWorkingDay('2018-12-31')).toBe(false);
  });
});

describe('addWorkingDays', () => {
  test('10 working days after Friday 24 January 2025, across the Spring Festival, is Thursday 13 February', () => {
    // Counting from the day after (the 24th itself does not count):
    //   Sat 25 Jan off · Sun 26 Jan make-up working day → 1 · Mon 27 → 2 · 28 Jan–4 Feb holiday ·
    //   Wed 5 Feb → 3 · Thu 6 → 4 · Fri 7 → 5 · Sat 8 make-up working day → 6 · Sun 9 off ·
    //   Mon 10 → 7 · Tue 11 → 8 · Wed 12 → 9 · Thu 13 → 10.
    // (On weekends alone it would be Friday 7 February: the test fails if the holiday or the make-up days are lost.)
    expect(cal.addWorkingDays('2025-01-24', 10)).toBe('2025-02-13');
  });

  test('across the 2026 Spring Festival: 5 working days after Thursday 12 February 2026 is Thursday 26 February', () => {
    // Fri 13 → 1 · Sat 14 make-up → 2 · 15–23 holiday · Tue 24 → 3 · Wed 25 → 4 · Thu 26 → 5.
    expect(cal.addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
  });

  test('across National Day 2025: 1 working day after Tuesday 30 September is Thursday 9 October', () => {
    expect(cal.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
  });

  test('the start day may be a day off: 1 working day after Saturday 25 January 2025 is the make-up Sunday 26th', () => {
    expect(cal.addWorkingDays('2025-01-25', 1)).toBe('2025-01-26');
    expect(cal.addWorkingDays('2025-10-04', 2)).toBe('2025-10-10'); // Sat 4 Oct (holiday): Thu 9 → 1, Fri 10 → 2
  });

  test('n = 0 is the date itself on a working day, else the next working day', () => {
    expect(cal.addWorkingDays('2025-03-12', 0)).toBe('2025-03-12'); // Wednesday
    expect(cal.addWorkingDays('2025-01-26', 0)).toBe('2025-01-26'); // make-up Sunday
    expect(cal.addWorkingDays('2025-03-15', 0)).toBe('2025-03-17'); // Saturday → Monday
    expect(cal.addWorkingDays('2025-01-28', 0)).toBe('2025-02-05'); // first day of the Spring Festival
  });

  test('L1 and L12 figures on ordinary weeks: 10 and 7 working days after Monday 10 March 2025', () => {
    expect(cal.addWorkingDays('2025-03-10', 10)).toBe('2025-03-24');
    expect(cal.addWorkingDays('2025-03-10', 7)).toBe('2025-03-19');
  });

  test('crosses the end of a year: 3 working days after Tuesday 30 December 2025 is Monday 5 January 2026', () => {
    // Wed 31 Dec → 1 · 1–3 Jan off · Sun 4 Jan make-up → 2 · Mon 5 → 3.
    expect(cal.addWorkingDays('2025-12-30', 3)).toBe('2026-01-05');
  });

  test('agrees with counting day by day, for every start day of 2024 and 2025 and several n', () => {
    const naive = (date: string, n: number): string => {
      let t = Date.parse(`${date}T00:00:00Z`);
      let d = date;
      if (n === 0 && cal.isWorkingDay(d)) return d;
      let left = Math.max(n, 1);
      while (left > 0) {
        t += 86_400_000;
        d = new Date(t).toISOString().slice(0, 10);
        if (cal.isWorkingDay(d)) left--;
      }
      return d;
    };
    for (const d of days('2024-01-01', '2025-12-31')) {
      for (const n of [0, 1, 2, 7, 10, 20]) {
        const got = cal.addWorkingDays(d, n);
        expect([d, n, got]).toEqual([d, n, naive(d, n)]);
        if (n > 0) expect([d, n, cal.workingDaysBetween(d, got)]).toEqual([d, n, n]);
      }
    }
  });
});

describe('workingDaysBetween', () => {
  test('counts the working days after `from` up to and including `to`', () => {
    expect(cal.workingDaysBetween('2025-01-24', '2025-02-13')).toBe(10);
    expect(cal.workingDaysBetween('2025-03-07', '2025-03-14')).toBe(5); // Friday to Friday
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-09')).toBe(1); // only 9 October
    expect(cal.workingDaysBetween('2025-09-27', '2025-09-28')).toBe(1); // the make-up Sunday
    expect(cal.workingDaysBetween('2025-01-28', '2025-02-04')).toBe(0); // inside the holiday
  });

  test('the same day is 0, whether or not it is a working day', () => {
    expect(cal.workingDaysBetween('2025-03-12', '2025-03-12')).toBe(0);
    expect(cal.workingDaysBetween('2025-03-15', '2025-03-15')).toBe(0);
  });

  test('reversed dates give the negative: between(a, b) = −between(b, a)', () => {
    expect(cal.workingDaysBetween('2025-02-13', '2025-01-24')).toBe(-10);
    expect(cal.workingDaysBetween('2026-03-02', '2026-02-12')).toBe(-cal.workingDaysBetween('2026-02-12', '2026-03-02'));
    // Fri 13 · Sat 14 (make-up) · 15–23 off · 24 · 25 · 26 · 27 · Sat 28 (make-up) · Sun 1 Mar off · Mon 2 Mar = 8.
    expect(cal.workingDaysBetween('2026-02-12', '2026-03-02')).toBe(8);
  });

  test('is additive: between(a, c) = between(a, b) + between(b, c)', () => {
    const [a, b, c] = ['2024-12-20', '2025-02-06', '2025-10-15'];
    expect(cal.workingDaysBetween(a, c)).toBe(cal.workingDaysBetween(a, b) + cal.workingDaysBetween(b, c));
  });

  test('late by N working days: a report due 13 February 2025 made on 17 February is 2 working days late', () => {
    expect(cal.workingDaysBetween(cal.addWorkingDays('2025-01-24', 10), '2025-02-17')).toBe(2);
  });
});

describe('the leap day', () => {
  test('2024-02-29 is a real date and an ordinary Thursday at work', () => {
    expect(cal.isWorkingDay('2024-02-29')).toBe(true);
    expect(cal.addWorkingDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(cal.addWorkingDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(cal.workingDaysBetween('2024-02-28', '2024-03-01')).toBe(2);
  });

  test('2024 Spring Festival around it: 10–17 February off, Sundays 4 and 18 February worked', () => {
    expect(cal.isWorkingDay('2024-02-16')).toBe(false);
    expect(cal.isWorkingDay('2024-02-18')).toBe(true);
    expect(cal.isWorkingDay('2024-02-09')).toBe(true); // 除夕 2024: encouraged off, not a holiday
  });
});

describe('bad input is a RangeError naming the value', () => {
  test.each(['2023-02-29', '2025-02-30', '2025-13-01', '2025-00-10', '2025-1-5', '20250105', '2025/01/05', '', ' 2025-01-05', '2025-01-05T00:00:00Z'])(
    'isWorkingDay(%p)',
    (bad) => {
      expect(() => cal.isWorkingDay(bad)).toThrow(RangeError);
      expect(() => cal.isWorkingDay(bad)).toThrow(`not a date: ${JSON.stringify(bad)}`);
    },
  );

  test('every method checks its dates', () => {
    expect(() => cal.addWorkingDays('2025-02-29', 1)).toThrow(RangeError);
    expect(() => cal.workingDaysBetween('2025-01-01', '2025-04-31')).toThrow(RangeError);
    expect(() => cal.workingDaysBetween('2025-1-1', '2025-04-30')).toThrow(RangeError);
    expect(() => cal.covers('2100-02-29')).toThrow(RangeError);
    expect(() => cal.isWorkingDay(20250105 as unknown as string)).toThrow(RangeError);
  });

  test.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3' as unknown as number])('addWorkingDays(…, %p)', (n) => {
    expect(() => cal.addWorkingDays('2025-03-10', n)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2025-03-10', n)).toThrow('whole number ≥ 0');
  });
});

describe('years without data are refused, never guessed', () => {
  const after = `${cal.lastYear + 1}-01-04`; // a Monday in 2027: a working day on weekends alone
  const before = `${cal.firstYear - 1}-06-01`;

  test('the covered years are explicit: 2017 through at least 2026', () => {
    expect(cal.firstYear).toBe(2017);
    expect(cal.lastYear).toBeGreaterThanOrEqual(2026);
    expect(cal.covers(`${cal.firstYear}-01-01`)).toBe(true);
    expect(cal.covers(`${cal.lastYear}-12-31`)).toBe(true);
    expect(cal.covers(`${cal.lastYear + 1}-01-01`)).toBe(false);
    expect(cal.covers(`${cal.firstYear - 1}-12-31`)).toBe(false);
    expect(cal.covers('2000-02-29')).toBe(false); // a real date, just not covered: no RangeError
  });

  test('isWorkingDay after the last year throws a CalendarCoverageError, not a RangeError, saying what to add', () => {
    const e = thrown(() => cal.isWorkingDay(after));
    expect(e).toBeInstanceOf(CalendarCoverageError);
    expect(e).not.toBeInstanceOf(RangeError);
    const message = (e as Error).message;
    expect(message).toContain(`after ${cal.lastYear}, the last year with data`);
    expect(message).toContain(`lib/domain/calendar/data/${cal.lastYear + 1}.json`);
    expect(message).toContain(`国务院办公厅关于${cal.lastYear + 1}年部分节假日安排的通知`);
    expect(e).toMatchObject({ code: 'CALENDAR_NOT_COVERED', date: after, firstYear: 2017, lastYear: cal.lastYear });
  });

  test('isWorkingDay before the first year names the earliest covered year', () => {
    const e = thrown(() => cal.isWorkingDay(before));
    expect(e).toBeInstanceOf(CalendarCoverageError);
    expect((e as Error).message).toContain(`before ${cal.firstYear}, the earliest year with data`);
  });

  test('a count that runs past the data throws; one that ends on its last day does not', () => {
    const n = cal.workingDaysBetween(`${cal.lastYear}-12-01`, `${cal.lastYear}-12-31`);
    expect(cal.addWorkingDays(`${cal.lastYear}-12-01`, n) <= `${cal.lastYear}-12-31`).toBe(true);
    const e = thrown(() => cal.addWorkingDays(`${cal.lastYear}-12-01`, n + 1));
    expect(e).toBeInstanceOf(CalendarCoverageError);
    expect((e as Error).message).toContain(`addWorkingDays(${cal.lastYear}-12-01, ${n + 1})`);
    expect((e as CalendarCoverageError).date).toBe(`${cal.lastYear + 1}-01-01`);
  });

  test('CAL: 10 working days after 17 December 2026 is the 31st, announced; 11 reach 2027 and are provisional until its notice', () => {
    // Fri 18 → 1 · 21–25 → 2–6 · 28–31 → 7–10 (no holiday is announced for late December 2026).
    expect(cal.addWorkingDays('2026-12-17', 10)).toBe('2026-12-31');
    expect(cal.isProvisional('2026-12-31')).toBe(false);
    if (cal.lastNoticeYear === 2026) {
      // 2027-01-01 (Fri) is New Year's Day, 2–3 a weekend: the 11th working day is Monday the 4th
      expect(cal.addWorkingDays('2026-12-17', 11)).toBe('2027-01-04');
      expect(cal.isProvisional('2027-01-04')).toBe(true);
    }
  });

  test('workingDaysBetween and addWorkingDays with an uncovered date throw too', () => {
    expect(() => cal.workingDaysBetween('2025-06-01', after)).toThrow(CalendarCoverageError);
    expect(() => cal.workingDaysBetween(before, '2025-06-01')).toThrow(CalendarCoverageError);
    expect(() => cal.addWorkingDays(after, 0)).toThrow(CalendarCoverageError);
  });
});

describe('the year files are checked when loaded', () => {
  const year = (y: number, extra: Partial<YearArrangement> = {}): YearArrangement => ({
    year: y,
    notices: [{ title: `国务院办公厅关于${y}年部分节假日安排的通知`, number: 'test', issued: `${y - 1}-11-01` }],
    daysOff: [],
    workingDays: [],
    ...extra,
  });

  test('a synthetic calendar counts what it is given, and throws beyond it', () => {
    const c = createWorkingDayCalendar([
      year(2031, { daysOff: [{ name: 'x', from: '2031-01-01', to: '2031-01-03' }], workingDays: [{ name: 'x', date: '2031-01-04' }] }),
    ]);
    expect([c.firstYear, c.lastYear]).toEqual([2031, 2031]);
    expect(c.isWorkingDay('2031-01-02')).toBe(false); // Thursday, off
    expect(c.isWorkingDay('2031-01-04')).toBe(true); // Saturday, worked
    expect(() => c.isWorkingDay('2032-01-05')).toThrow(/after 2031.*lib\/domain\/calendar\/data\/2032\.json/);
  });

  test('at start, an operator is warned when the data ends within 60 days, and told which file to add', () => {
    const c = createWorkingDayCalendar([year(2030), year(2031)]);
    expect(calendarCoverageWarning(c, '2031-10-01')).toBeUndefined(); // 91 days left
    const soon = calendarCoverageWarning(c, '2031-11-23');
    expect(soon).toMatch(/ends on 2031-12-31.*into 2032.*CALENDAR_NOT_COVERED.*lib\/domain\/calendar\/data\/2032\.json/);
    expect(calendarCoverageWarning(c, '2032-01-05')).toMatch(/ended on 2031-12-31/);
    expect(calendarCoverageWarning(c, '2031-11-23', 30)).toBeUndefined(); // a shorter horizon: 38 days left is enough
  });

  test('a weekday listed as a make-up working day is refused (a typo in the file)', () => {
    expect(() => parseYearArrangement(year(2025, { workingDays: [{ name: '春节', date: '2025-01-27' }] }), '2025.json')).toThrow(
      '2025.json: workingDays[0].date 2025-01-27 is a weekday',
    );
  });

  test('dates outside the year, spans that run backwards, days both off and worked are refused', () => {
    expect(() => parseYearArrangement(year(2025, { daysOff: [{ name: 'x', from: '2026-01-01', to: '2026-01-01' }] }), 'f')).toThrow('outside 2025');
    expect(() => parseYearArrangement(year(2025, { daysOff: [{ name: 'x', from: '2024-11-30', to: '2024-11-30' }] }), 'f')).toThrow('outside 2025');
    expect(() => parseYearArrangement(year(2025, { daysOff: [{ name: 'x', from: '2025-02-04', to: '2025-01-28' }] }), 'f')).toThrow('before it starts');
    expect(() => parseYearArrangement(year(2025, { daysOff: [{ name: 'x', from: '2025-02-30', to: '2025-03-01' }] }), 'f')).toThrow('not a date');
    expect(() =>
      parseYearArrangement(
        year(2025, { daysOff: [{ name: 'x', from: '2025-01-25', to: '2025-01-27' }], workingDays: [{ name: 'x', date: '2025-01-26' }] }),
        'f',
      ),
    ).toThrow('also inside a span of days off');
    expect(() => parseYearArrangement(year(2025, { notices: [] }), 'f')).toThrow('cite at least');
    expect(() => parseYearArrangement({ year: 2025 }, 'f')).toThrow('notices must be a list');
  });

  test('the December before a year may be arranged by its notice (2018-12-29 in the 2019 file)', () => {
    expect(parseYearArrangement(year(2019, { workingDays: [{ name: '元旦', date: '2018-12-29' }] }), 'f').workingDays).toHaveLength(1);
  });

  test('a gap between years, or a year given twice, is refused', () => {
    expect(() => createWorkingDayCalendar([year(2024), year(2026)])).toThrow('no data for 2025–2025, between 2024 and 2026');
    expect(() => createWorkingDayCalendar([year(2025), year(2025)])).toThrow('2025 is given twice');
    expect(() => createWorkingDayCalendar([])).toThrow('no year has data');
  });

  test('the loader refuses a misnamed file and a file whose year does not match its name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
    try {
      const url = pathToFileURL(`${dir}/`);
      writeFileSync(join(dir, '2025.json'), JSON.stringify(year(2024)));
      expect(() => loadArrangements(url)).toThrow('says year 2024, but the file is named for 2025');
      rmSync(join(dir, '2025.json'));
      writeFileSync(join(dir, '2025.jsn'), '{}');
      expect(() => loadArrangements(url)).toThrow('unexpected file');
      rmSync(join(dir, '2025.jsn'));
      writeFileSync(join(dir, '2025.json'), '{ not json');
      expect(() => loadArrangements(url)).toThrow('not valid JSON');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every shipped file loads and cites a notice with a 文号', () => {
    const years = loadArrangements();
    expect(years.map((y) => y.year)).toEqual(Array.from({ length: cal.lastNoticeYear - 2017 + 1 }, (_, i) => 2017 + i));
    for (const y of years) expect(y.notices[0]!.number).toMatch(/^国办发明电〔\d{4}〕\d+号$/);
  });
});

describe('CAL: the years after the last notice are computed, and what is counted on them is provisional', () => {
  const announced = loadArrangements();
  const offIn = (year: YearArrangement, date: string) => year.daysOff.some((span) => span.from <= date && date <= span.to);

  test.each(announced.map((a) => [a.year, a] as const))('the computed lunar dates and 清明 of %i fall on days its notice gives off', (_, year) => {
    const t = traditionalDates(year.year);
    for (const date of [t.springFestival, t.qingming, t.dragonBoat, t.midAutumn]) expect({ date, off: offIn(year, date) }).toEqual({ date, off: true });
  });

  test('every statutory day of the 2024 revision, computed for 2025 and 2026, is a day off in the notice of that year', () => {
    for (const year of announced.filter((a) => a.year >= 2025)) {
      for (const span of provisionalArrangement(year.year).daysOff) {
        for (const date of days(span.from, span.to)) expect({ name: span.name, date, off: offIn(year, date) }).toEqual({ name: span.name, date, off: true });
      }
    }
  });

  test('the lunar months follow the rules: leap months where the almanac has them (2020: 4th, 2023: 2nd, 2025 and 2017: 6th, 2028: 5th)', () => {
    // the dates the provisional calendar rests on, computed; here checked against their published values
    expect(traditionalDates(2027)).toEqual({
      newYearsEve: '2027-02-05',
      springFestival: '2027-02-06',
      qingming: '2027-04-05',
      dragonBoat: '2027-06-09',
      midAutumn: '2027-09-15',
    });
    expect(traditionalDates(2028)).toEqual({
      newYearsEve: '2028-01-25',
      springFestival: '2028-01-26',
      qingming: '2028-04-04',
      dragonBoat: '2028-05-28',
      midAutumn: '2028-10-03',
    });
    expect(traditionalDates(2020).dragonBoat).toBe('2020-06-25'); // after the leap 4th month, not a month earlier
  });

  test('2027 deadlines: counted over the computed Spring Festival (eve to the 3rd day off), marked provisional', () => {
    // Mon 1 Feb → Tue 2 (1), Wed 3 (2), Thu 4 (3); Fri 5 eve, Sat 6 – Mon 8 Spring Festival, off; Tue 9 (4), Wed 10 (5)
    const c = createWorkingDayCalendar(withProvisionalYears(announced.filter((a) => a.year <= 2026)));
    expect(c.addWorkingDays('2027-02-01', 5)).toBe('2027-02-10');
    expect(c.isProvisional('2027-02-10')).toBe(true);
    expect(c.lastNoticeYear).toBe(2026);
    expect(c.lastYear).toBe(2028);
  });

  test('2028 deadlines: National Day 1–3 October and Mid-Autumn (3 October) are off; beyond 2028 still refused', () => {
    const c = createWorkingDayCalendar(withProvisionalYears(announced.filter((a) => a.year <= 2026)));
    // Fri 29 Sep 2028 → Sun 1 – Tue 3 Oct off → Wed 4 (1), Thu 5 (2), Fri 6 (3)
    expect(c.addWorkingDays('2028-09-29', 3)).toBe('2028-10-06');
    expect(c.isProvisional('2028-10-06')).toBe(true);
    expect(() => c.addWorkingDays('2028-12-20', 15)).toThrow(CalendarCoverageError);
  });

  test('adding a notice replaces the computed year: a provisional deadline moves to what the notice says', () => {
    const before = createWorkingDayCalendar(withProvisionalYears(announced.filter((a) => a.year <= 2026)));
    // a notice for 2027 as the State Council might arrange it: Spring Festival 5–13 February, Saturday 20th worked
    const notice: YearArrangement = {
      year: 2027,
      notices: [{ title: '国务院办公厅关于2027年部分节假日安排的通知', number: 'test', issued: '2026-11-30' }],
      daysOff: [{ name: '春节', from: '2027-02-05', to: '2027-02-13' }],
      workingDays: [{ name: '春节', date: '2027-02-20' }],
    };
    const after = createWorkingDayCalendar(withProvisionalYears([...announced.filter((a) => a.year <= 2026), notice]));
    expect(before.addWorkingDays('2027-02-01', 5)).toBe('2027-02-10');
    expect(after.addWorkingDays('2027-02-01', 5)).toBe('2027-02-16'); // 2, 3, 4, then 15, 16
    expect(after.isProvisional('2027-02-16')).toBe(false);
    expect(after.isProvisional('2028-01-03')).toBe(true);
  });

  test('the operator is told at start when deadlines are about to become provisional', () => {
    const c = createWorkingDayCalendar(withProvisionalYears(announced.filter((a) => a.year <= 2026)));
    expect(calendarCoverageWarning(c, '2026-09-01')).toBeUndefined();
    expect(calendarCoverageWarning(c, '2026-11-27')).toMatch(/no holiday notice for 2027 yet.*provisional.*data\/2027\.json/);
  });
});
