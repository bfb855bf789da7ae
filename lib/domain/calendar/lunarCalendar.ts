import { addDays } from '../dates.js';
import { chinaDateOf, jdeOfDate, newMoon, newMoonBefore, sunReaches } from './astronomy.js';

/** A month of the Chinese lunisolar calendar: its number (1–12), whether it is a leap month, and its first day. */
export interface LunarMonth {
  number: number;
  leap: boolean;
  firstDay: string;
}

/**
 * The months of the Chinese calendar from the 11th month of `year − 1` (the one holding the winter solstice) to the
 * 11th month of `year`, by the rules of GB/T 33661-2017 (农历的编算和颁行): a month begins on the day of new moon (China
 * time); the month holding the winter solstice is the 11th; when 13 months lie between two such months, the first
 * of them without a principal solar term (中气, the Sun at a multiple of 30°) is a leap month, numbered as the one before.
 */
export function lunarMonths(year: number): LunarMonth[] {
  const solsticeBefore = chinaDateOf(sunReaches(270, jdeOfDate(year - 1, 12, 21)));
  const solstice = chinaDateOf(sunReaches(270, jdeOfDate(year, 12, 21)));
  const firstK = monthHolding(solsticeBefore);
  const lastK = monthHolding(solstice);
  const starts = Array.from({ length: lastK - firstK + 2 }, (_, i) => chinaDateOf(newMoon(firstK + i)));

  const principalTerms = Array.from({ length: 13 }, (_, i) => chinaDateOf(sunReaches((270 + 30 * i) % 360, jdeOfDate(year - 1, 12, 21) + i * 30.44)));
  const hasPrincipalTerm = (i: number) => principalTerms.some((d) => d >= starts[i]! && d < starts[i + 1]!);

  let leapAt = -1;
  if (lastK - firstK === 13) leapAt = starts.findIndex((_, i) => i > 0 && i < lastK - firstK && !hasPrincipalTerm(i));

  const months: LunarMonth[] = [];
  let number = 11;
  for (let i = 0; i <= lastK - firstK; i++) {
    const leap = i === leapAt;
    if (i > 0 && !leap) number = (number % 12) + 1;
    months.push({ number, leap, firstDay: starts[i]! });
  }
  return months;
}

/** The new moon number of the lunar month holding a China date: the last new moon whose China date is on or before it. */
function monthHolding(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  let k = newMoonBefore(jdeOfDate(y, m, d) + 1);
  while (chinaDateOf(newMoon(k)) > date) k--;
  while (chinaDateOf(newMoon(k + 1)) <= date) k++;
  return k;
}

/** The dates of `year` on which the statutory holidays that follow the lunar calendar or a solar term fall. */
export interface TraditionalDates {
  /** 除夕: the last day of the 12th month before the new year. */
  newYearsEve: string;
  /** 春节: the 1st day of the 1st month. */
  springFestival: string;
  /** 清明: the day the Sun reaches 15°. */
  qingming: string;
  /** 端午: the 5th day of the 5th month. */
  dragonBoat: string;
  /** 中秋: the 15th day of the 8th month. */
  midAutumn: string;
}

export function traditionalDates(year: number): TraditionalDates {
  const months = lunarMonths(year);
  const dayOf = (month: number, day: number) => {
    const found = months.find((m) => m.number === month && !m.leap && (month < 11 || m !== months[0]));
    if (!found) throw new Error(`lunar calendar: no month ${month} in ${year}`);
    return addDays(found.firstDay, day - 1);
  };
  const springFestival = dayOf(1, 1);
  return {
    newYearsEve: addDays(springFestival, -1),
    springFestival,
    qingming: chinaDateOf(sunReaches(15, jdeOfDate(year, 4, 5))),
    dragonBoat: dayOf(5, 5),
    midAutumn: dayOf(8, 15),
  };
}
