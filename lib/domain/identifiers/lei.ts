import { OK, failure, type IdentifierCheck } from './check.js';

/** ISO 7064 MOD 97-10 remainder of an alphanumeric string, letters read as two digits (A=10 … Z=35). */
function mod97(s: string): number {
  let r = 0;
  for (const c of s) {
    const v = parseInt(c, 36);
    r = v >= 10 ? (r * 100 + v) % 97 : (r * 10 + v) % 97;
  }
  return r;
}

/** The two check digits (positions 19–20) for the first 18 characters of an LEI. */
export function leiCheckDigits(first18: string): string {
  if (!/^[0-9A-Z]{18}$/.test(first18)) throw new RangeError(`not 18 LEI characters: ${JSON.stringify(first18)}`);
  return String(98 - mod97(`${first18}00`)).padStart(2, '0');
}

function badCharacter(lei: string): string | undefined {
  for (let i = 0; i < 20; i++) {
    const c = lei.charAt(i);
    if (i >= 18 && !/\d/.test(c)) return `character "${c}" at position ${i + 1} is not allowed: positions 19–20 are check digits`;
    if (/[a-z]/.test(c)) return `character "${c}" at position ${i + 1} is not allowed: LEIs are upper-case`;
    if (!/[0-9A-Z]/.test(c)) return `character "${c}" at position ${i + 1} is not allowed: only digits and letters A–Z are used`;
  }
  return undefined;
}

/**
 * Checks a Legal Entity Identifier (ISO 17442): 20 upper-case alphanumerics ending in two check digits,
 * the whole ≡ 1 (mod 97). Positions 5–6 are not required to be `00`: LEIs issued before the 2012
 * numbering scheme (e.g. JPMorgan Chase's) use them freely.
 */
export function checkLei(lei: string): IdentifierCheck {
  if (lei.length !== 20) return failure('LEI', lei, 'LENGTH', `length is ${lei.length}, expected 20`);
  const bad = badCharacter(lei);
  if (bad) return failure('LEI', lei, 'CHARACTERS', bad);
  if (mod97(lei) !== 1) {
    const expected = leiCheckDigits(lei.slice(0, 18));
    return failure('LEI', lei, 'CHECK_CHARACTER', `check digits are ${lei.slice(18)}, expected ${expected}`);
  }
  return OK;
}
