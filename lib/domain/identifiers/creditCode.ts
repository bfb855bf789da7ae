import { OK, failure, type IdentifierCheck } from './check.js';

/** GB 32100-2015 code characters, in value order 0..30: digits and upper-case letters except I, O, S, V, Z. */
export const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weight of positions 1..17: 3^(i-1) mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character (position 18) for the first 17 characters of a credit code. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17 || [...first17].some((c) => !CREDIT_CODE_CHARS.includes(c))) {
    throw new RangeError(`not 17 credit-code characters: ${JSON.stringify(first17)}`);
  }
  const sum = WEIGHTS.reduce((s, w, i) => s + w * CREDIT_CODE_CHARS.indexOf(first17.charAt(i)), 0);
  return CREDIT_CODE_CHARS.charAt((31 - (sum % 31)) % 31);
}

/** Positions 3–8: the administrative-division code of the registering authority. */
export function creditCodeRegion(code: string): string {
  if (code.length !== 18) throw new RangeError(`not an 18-character credit code: ${JSON.stringify(code)}`);
  return code.slice(2, 8);
}

function whyNotAllowed(c: string): string {
  if (c !== c.toUpperCase()) return 'credit codes are upper-case';
  if ('IOSVZ'.includes(c)) return 'the letters I, O, S, V and Z are not used';
  return 'only digits and upper-case letters are used';
}

/**
 * Checks a Unified Social Credit Code (GB 32100-2015): 18 characters from the code set, last one the
 * MOD 31 check character. Positions 3–8 may hold letters for some registering departments, so they are
 * not required to be digits. `legacy` lists early pilot codes that were issued with a wrong check
 * character and are nonetheless real; only those are excused, and only from the check-character test.
 */
export function checkCreditCode(code: string, legacy?: ReadonlySet<string>): IdentifierCheck {
  if (code.length !== 18) {
    return failure('CREDIT_CODE', code, 'LENGTH', `length is ${code.length}, expected 18`);
  }
  const chars = [...code];
  const bad = chars.findIndex((c) => !CREDIT_CODE_CHARS.includes(c));
  const badChar = chars[bad];
  if (badChar !== undefined) {
    return failure('CREDIT_CODE', code, 'CHARACTERS', `character "${badChar}" at position ${bad + 1} is not allowed: ${whyNotAllowed(badChar)}`);
  }
  const expected = creditCodeCheckChar(code.slice(0, 17));
  const actual = code.charAt(17);
  if (actual !== expected && !legacy?.has(code)) {
    return failure('CREDIT_CODE', code, 'CHECK_CHARACTER', `check character is ${actual}, expected ${expected}`);
  }
  return OK;
}
