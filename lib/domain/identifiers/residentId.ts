import { OK, failure, type IdentifierCheck } from './check.js';

/** Weight of positions 1..17: 2^(18-i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character for a weighted sum ≡ 0..10 (mod 11). */
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH = '1900-01-01';
/** China has one time zone, UTC+8 with no daylight saving: "today" for a birth date is the date there. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The check character (position 18) for the first 17 digits of a resident ID. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`not 17 digits: ${JSON.stringify(first17)}`);
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(first17.charAt(i)), 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/** Positions 1–6: the administrative-division code of the place of registration. */
export function residentIdRegion(id: string): string {
  if (!/^\d{6}/.test(id)) throw new RangeError(`not a resident ID: ${JSON.stringify(id)}`);
  return id.slice(0, 6);
}

/** Positions 7–14 as an ISO date `YYYY-MM-DD` (not validated; `checkResidentId` does that). */
export function residentIdBirthDate(id: string): string {
  if (!/^\d{14}/.test(id)) throw new RangeError(`not a resident ID: ${JSON.stringify(id)}`);
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

function isCalendarDate(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d)); // callers pass y ≥ 1900, clear of Date.UTC's 0..99 → 19xx quirk
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function badCharacter(id: string): string | undefined {
  for (let i = 0; i < 17; i++) {
    const c = id.charAt(i);
    if (!/\d/.test(c)) return `character "${c}" at position ${i + 1} is not allowed: positions 1–17 are digits`;
  }
  const last = id.charAt(17);
  if (last === 'x') return 'check character "x" must be an upper-case X';
  if (!/[\dX]/.test(last)) return `check character "${last}" is not allowed: it is a digit or X`;
  return undefined;
}

/**
 * Checks a citizen identity number (GB 11643-1999): 17 digits and a MOD 11-2 check character (digit or
 * upper-case X), with positions 7–14 a real calendar date from 1900-01-01 to `today` (the date in China).
 * A bad birth date is reported before a bad check character: it says more to the person who typed it.
 */
export function checkResidentId(id: string, today: Date = new Date()): IdentifierCheck {
  if (id.length !== 18) {
    return failure('RESIDENT_ID', id, 'LENGTH', `length is ${id.length}, expected 18`);
  }
  const bad = badCharacter(id);
  if (bad) return failure('RESIDENT_ID', id, 'CHARACTERS', bad);

  const birth = residentIdBirthDate(id);
  const latest = new Date(today.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
  if (birth < EARLIEST_BIRTH) {
    return failure('RESIDENT_ID', id, 'BIRTH_DATE', `birth date ${birth} is before ${EARLIEST_BIRTH}`);
  }
  if (!isCalendarDate(birth)) {
    return failure('RESIDENT_ID', id, 'BIRTH_DATE', `birth date ${birth} (positions 7–14) is not a real calendar date`);
  }
  if (birth > latest) {
    return failure('RESIDENT_ID', id, 'BIRTH_DATE', `birth date ${birth} is after today (${latest})`);
  }

  const expected = residentIdCheckChar(id.slice(0, 17));
  const actual = id.charAt(17);
  if (actual !== expected) {
    return failure('RESIDENT_ID', id, 'CHECK_CHARACTER', `check character is ${actual}, expected ${expected}`);
  }
  return OK;
}
