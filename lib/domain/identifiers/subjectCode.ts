import type { IdentifierCheck } from './check.js';
import { checkCreditCode } from './creditCode.js';
import { checkResidentId } from './residentId.js';

export type SubjectKind = 'ORGANISATION' | 'PERSON';

/** `kind` is set exactly when `ok` is true; a failure is that of the check the code most resembles. */
export type SubjectCodeCheck = IdentifierCheck & { kind?: SubjectKind };

/** 17 digits, then a digit or X (either case, so a lower-case x is reported as a resident-ID fault). */
const RESIDENT_SHAPE = /^\d{17}[\dXx]$/;
/** Positions 7–14 read as a 19xx/20xx date with a plausible month and day (real-date checking comes later). */
const BIRTH_DATE_SHAPE = /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

function looksLikeResidentId(code: string): boolean {
  return RESIDENT_SHAPE.test(code) && BIRTH_DATE_SHAPE.test(code.slice(6, 14));
}

/**
 * Checks the code of a credit subject, which is either an organisation's credit code (GB 32100-2015)
 * or a person's resident ID (GB 11643-1999). Both are 18 characters and a credit code can be all digits,
 * so the shape alone cannot decide. The rule, in order:
 *
 * 1. In `legacy` (codes the caller knows are organisations) and a well-formed credit code → ORGANISATION.
 * 2. Passes the resident-ID check → PERSON. This comes before the credit-code check on purpose: about
 *    1 valid resident ID in 31 also satisfies the MOD 31 credit-code check by chance, so trying the
 *    credit code first would file ~3% of people as organisations. The reverse mistake needs an all-digit
 *    credit code whose positions 7–14 form a real past date *and* that satisfies MOD 11 (1 in 11 of those),
 *    which is far rarer; a caller that meets one puts it in `legacy`.
 * 3. Passes the credit-code check → ORGANISATION.
 * 4. Otherwise the failure of the check it resembles: 17 digits + digit/X with a 19xx/20xx date in
 *    positions 7–14 → the resident-ID failure; anything else → the credit-code failure.
 */
export function checkSubjectCode(code: string, legacy?: ReadonlySet<string>, today: Date = new Date()): SubjectCodeCheck {
  if (legacy?.has(code) && checkCreditCode(code, legacy).ok) return { ok: true, kind: 'ORGANISATION' };

  const person = checkResidentId(code, today);
  if (person.ok) return { ok: true, kind: 'PERSON' };

  const organisation = checkCreditCode(code, legacy);
  if (organisation.ok) return { ok: true, kind: 'ORGANISATION' };

  return looksLikeResidentId(code) ? person : organisation;
}
