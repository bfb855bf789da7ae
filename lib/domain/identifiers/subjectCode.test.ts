import { checkCreditCode } from './creditCode.js';
import { checkResidentId } from './residentId.js';
import { checkSubjectCode } from './subjectCode.js';

const TODAY = new Date('2025-06-01T00:00:00Z');

describe('subject code: clear cases', () => {
  test('GB 32100-2015: a credit code with letters is an ORGANISATION', () => {
    expect(checkSubjectCode('91100000100003962T', undefined, TODAY)).toEqual({ ok: true, kind: 'ORGANISATION' });
  });

  test('GB 11643-1999: the standard’s worked example is a PERSON', () => {
    expect(checkSubjectCode('11010519491231002X', undefined, TODAY)).toEqual({ ok: true, kind: 'PERSON' });
  });

  test('GB 32100-2015: a credit code with a wrong check character reports the credit-code failure', () => {
    expect(checkSubjectCode('91350100M000100Y4A', undefined, TODAY)).toEqual({
      ok: false,
      identifier: 'CREDIT_CODE',
      failed: 'CHECK_CHARACTER',
      message: 'credit code 91350100M000100Y4A: check character is A, expected 3',
    });
  });

  test('GB 32100-2015: a wrong length reports the credit-code failure, even for 15 digits', () => {
    expect(checkSubjectCode('110105490101002', undefined, TODAY)).toMatchObject({ identifier: 'CREDIT_CODE', failed: 'LENGTH' });
  });

  test('GB 32100-2015: a legacy pilot code is an ORGANISATION only when in the legacy set', () => {
    const legacy = '91350211M0000XUF46';
    expect(checkSubjectCode(legacy, new Set([legacy]), TODAY)).toEqual({ ok: true, kind: 'ORGANISATION' });
    expect(checkSubjectCode(legacy, undefined, TODAY)).toMatchObject({ ok: false, identifier: 'CREDIT_CODE', failed: 'CHECK_CHARACTER' });
  });
});

describe('subject code: all-digit shapes (ambiguous)', () => {
  test('GB 32100-2015: an all-digit public-institution code whose positions 7–14 are no date is an ORGANISATION', () => {
    // python-stdnum's list; positions 7–14 are "00401359".
    expect(checkSubjectCode('121200004013590816', undefined, TODAY)).toEqual({ ok: true, kind: 'ORGANISATION' });
  });

  test('GB 32100-2015: all-digit code with a date-like 7–14 that fails the resident-ID check is an ORGANISATION', () => {
    // Synthetic: region 110119 (Yanqing, Beijing), organisation code 850123000, so positions 7–14 read 19850123.
    const code = '911101198501230002';
    expect(checkCreditCode(code)).toEqual({ ok: true });
    expect(checkResidentId(code, TODAY)).toMatchObject({ failed: 'CHECK_CHARACTER' });
    expect(checkSubjectCode(code, undefined, TODAY)).toEqual({ ok: true, kind: 'ORGANISATION' });
  });

  test('GB 11643-1999: a resident ID that also passes the credit-code check is a PERSON', () => {
    // Synthetic, same person data as the standard's example but sequence 037: about 1 ID in 31 satisfies MOD 31
    // by chance, which is why the resident-ID check is tried first.
    const id = '11010519491231037X';
    expect(checkCreditCode(id)).toEqual({ ok: true });
    expect(checkResidentId(id, TODAY)).toEqual({ ok: true });
    expect(checkSubjectCode(id, undefined, TODAY)).toEqual({ ok: true, kind: 'PERSON' });
  });

  test('GB 32100-2015: an all-digit credit code that also passes as a resident ID needs the legacy set to be an ORGANISATION', () => {
    const code = '911101198501230028'; // synthetic, passes both checks
    expect(checkCreditCode(code)).toEqual({ ok: true });
    expect(checkResidentId(code, TODAY)).toEqual({ ok: true });
    expect(checkSubjectCode(code, undefined, TODAY)).toEqual({ ok: true, kind: 'PERSON' });
    expect(checkSubjectCode(code, new Set([code]), TODAY)).toEqual({ ok: true, kind: 'ORGANISATION' });
  });

  test('GB 11643-1999: resident-ID shape with a wrong check character reports the resident-ID failure', () => {
    expect(checkSubjectCode('110105194912310021', undefined, TODAY)).toEqual({
      ok: false,
      identifier: 'RESIDENT_ID',
      failed: 'CHECK_CHARACTER',
      message: 'resident ID 110105194912310021: check character is 1, expected X',
    });
  });

  test('GB 11643-1999: resident-ID shape with February 30 reports the birth date', () => {
    // 110105 19900230 002 + its computed check character 8.
    expect(checkSubjectCode('110105199002300028', undefined, TODAY)).toMatchObject({
      ok: false,
      identifier: 'RESIDENT_ID',
      failed: 'BIRTH_DATE',
    });
  });

  test('GB 11643-1999: resident-ID shape born after today reports the birth date', () => {
    // 110105 20250602 002 + its computed check character 4: born the day after TODAY.
    expect(checkSubjectCode('110105202506020024', undefined, TODAY)).toMatchObject({ identifier: 'RESIDENT_ID', failed: 'BIRTH_DATE' });
  });

  test('GB 11643-1999: resident-ID shape with a lower-case x reports the resident-ID character failure', () => {
    expect(checkSubjectCode('11010519491231002x', undefined, TODAY)).toMatchObject({ identifier: 'RESIDENT_ID', failed: 'CHARACTERS' });
  });

  test('GB 32100-2015: all digits but positions 7–14 not a 19xx/20xx date reports the credit-code failure', () => {
    // 121200004013590816 with its last digit changed.
    expect(checkSubjectCode('121200004013590817', undefined, TODAY)).toEqual({
      ok: false,
      identifier: 'CREDIT_CODE',
      failed: 'CHECK_CHARACTER',
      message: 'credit code 121200004013590817: check character is 7, expected 6',
    });
  });
});
