/**
 * The two astronomical events the Chinese calendar rests on, computed (J. Meeus, Astronomical Algorithms, 2nd ed.):
 * the moments of new moon (ch. 49, with its periodic and planetary corrections: within a minute) and the moment the
 * Sun reaches a given apparent longitude (ch. 25, low accuracy: within about 0.01°, a quarter of an hour), which
 * gives the solar terms. Dates are those of China Standard Time (UTC+8), as the calendar is kept.
 *
 * A quarter of an hour matters only when an event falls that close to midnight; the provisional calendar that uses
 * this is replaced by the State Council's notice for the year as soon as it is published.
 */
import { fromDayNumber } from './isoDate.js';

const RAD = Math.PI / 180;
const sin = (degrees: number) => Math.sin(degrees * RAD);
const normalise = (degrees: number) => ((degrees % 360) + 360) % 360;

/** Julian Day of 1970-01-01 00:00 UT, so that a day number (days since the epoch) and a JD meet. */
const JD_UNIX_EPOCH = 2440587.5;
const J2000 = 2451545.0;
const CHINA_UTC_OFFSET_DAYS = 8 / 24;

/** TT − UT in days (Espenak & Meeus's polynomials for 2005–2150; a minute or so either way is immaterial here). */
function deltaT(jde: number): number {
  const year = 2000 + (jde - J2000) / 365.25;
  const t = year - 2000;
  const seconds = year < 2050 ? 62.92 + 0.32217 * t + 0.005589 * t * t : -20 + 32 * ((year - 1820) / 100) ** 2 - 0.5628 * (2150 - year);
  return seconds / 86400;
}

/** The China Standard Time date (YYYY-MM-DD) of an instant given in Julian Ephemeris Days. */
export function chinaDateOf(jde: number): string {
  const jdUt = jde - deltaT(jde);
  return fromDayNumber(Math.floor(jdUt + CHINA_UTC_OFFSET_DAYS - JD_UNIX_EPOCH));
}

/** The Sun's apparent geocentric longitude, in degrees, at an instant in JDE. */
export function sunLongitude(jde: number): number {
  const T = (jde - J2000) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
  const C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) + (0.019993 - 0.000101 * T) * sin(2 * M) + 0.000289 * sin(3 * M);
  const omega = 125.04 - 1934.136 * T;
  return normalise(L0 + C - 0.00569 - 0.00478 * sin(omega));
}

const TROPICAL_YEAR = 365.2422;

/**
 * The instant (JDE) the Sun reaches `longitude` degrees nearest to `near` (a JDE within a few weeks of it):
 * Newton steps on the mean motion, each within a few minutes of the last until they agree to a second.
 */
export function sunReaches(longitude: number, near: number): number {
  let jde = near;
  for (let i = 0; i < 20; i++) {
    const behind = ((longitude - sunLongitude(jde) + 540) % 360) - 180;
    const step = (behind * TROPICAL_YEAR) / 360;
    jde += step;
    if (Math.abs(step) < 1 / 86400) break;
  }
  return jde;
}

/** The JDE of 00:00 UT on a Gregorian date (for guesses near a date). */
export function jdeOfDate(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000 + JD_UNIX_EPOCH;
}

const SYNODIC_MONTH = 29.530588861;

/** The instant (JDE) of new moon number `k` (k = 0 is the new moon of 2000-01-06; whole numbers only). */
export function newMoon(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  const jde = 2451550.09766 + SYNODIC_MONTH * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3;
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4;
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
  const omega = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;
  const periodic =
    -0.4072 * sin(Mp) +
    0.17241 * E * sin(M) +
    0.01608 * sin(2 * Mp) +
    0.01039 * sin(2 * F) +
    0.00739 * E * sin(Mp - M) -
    0.00514 * E * sin(Mp + M) +
    0.00208 * E * E * sin(2 * M) -
    0.00111 * sin(Mp - 2 * F) -
    0.00057 * sin(Mp + 2 * F) +
    0.00056 * E * sin(2 * Mp + M) -
    0.00042 * sin(3 * Mp) +
    0.00042 * E * sin(M + 2 * F) +
    0.00038 * E * sin(M - 2 * F) -
    0.00024 * E * sin(2 * Mp - M) -
    0.00017 * sin(omega) -
    0.00007 * sin(Mp + 2 * M) +
    0.00004 * sin(2 * Mp - 2 * F) +
    0.00004 * sin(3 * M) +
    0.00003 * sin(Mp + M - 2 * F) +
    0.00003 * sin(2 * Mp + 2 * F) -
    0.00003 * sin(Mp + M + 2 * F) +
    0.00003 * sin(Mp - M + 2 * F) -
    0.00002 * sin(Mp - M - 2 * F) -
    0.00002 * sin(3 * Mp + M) +
    0.00002 * sin(4 * Mp);
  const planetary = PLANETARY.reduce((sum, [a, b, c, coefficient]) => sum + coefficient * sin(a + b * k + c * T2), 0);
  return jde + periodic + planetary;
}

/** Meeus's fourteen planetary arguments of a new moon: [A0, per k, per T², coefficient in days]. */
const PLANETARY: readonly (readonly [number, number, number, number])[] = [
  [299.77, 0.107408, -0.009173, 0.000325],
  [251.88, 0.016321, 0, 0.000165],
  [251.83, 26.651886, 0, 0.000164],
  [349.42, 36.412478, 0, 0.000126],
  [84.66, 18.206239, 0, 0.00011],
  [141.74, 53.303771, 0, 0.000062],
  [207.14, 2.453732, 0, 0.00006],
  [154.84, 7.30686, 0, 0.000056],
  [34.52, 27.261239, 0, 0.000047],
  [207.19, 0.121824, 0, 0.000042],
  [291.34, 1.844379, 0, 0.00004],
  [161.72, 24.198154, 0, 0.000037],
  [239.56, 25.513099, 0, 0.000035],
  [331.55, 3.592518, 0, 0.000023],
];

/** The number k of the last new moon at or before an instant. */
export function newMoonBefore(jde: number): number {
  let k = Math.floor((jde - 2451550.09766) / SYNODIC_MONTH);
  while (newMoon(k + 1) <= jde) k++;
  while (newMoon(k) > jde) k--;
  return k;
}
