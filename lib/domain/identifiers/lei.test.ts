import { checkLei, leiCheckDigits } from './lei.js';

describe('ISO 17442 LEI: known-valid identifiers', () => {
  test.each([
    // Pre-2012 LEI, positions 5–6 are "WZ", not "00".
    ['8I5DZWZKVSZI1NUHU748', 'JPMorgan Chase & Co.'],
    ['7LTWFZYICNSX8D621K86', 'Deutsche Bank AG'],
    ['506700GE1G29325QX363', 'GLEIF, the Global LEI Foundation (its own LEI)'],
    ['54930053HGCFWVHYZX42', 'Bank of China Limited'],
    ['5493002ERZU2K9PZDL40', 'Industrial and Commercial Bank of China'],
    // From python-stdnum's tests/test_lei.doctest: check digits 07, a leading zero.
    ['NMMFE09VSMAF2TU16C07', 'check digits with a leading zero'],
  ])('ISO 17442: %s passes (%s)', (lei) => {
    expect(checkLei(lei)).toEqual({ ok: true });
  });

  test('ISO 17442: check digits are computed by ISO 7064 MOD 97-10', () => {
    expect(leiCheckDigits('8I5DZWZKVSZI1NUHU7')).toBe('48');
    expect(leiCheckDigits('NMMFE09VSMAF2TU16C')).toBe('07');
  });
});

describe('ISO 17442 LEI: failures', () => {
  test('ISO 17442: wrong check digits fail, naming the ones expected', () => {
    expect(checkLei('8I5DZWZKVSZI1NUHU749')).toEqual({
      ok: false,
      identifier: 'LEI',
      failed: 'CHECK_CHARACTER',
      message: 'LEI 8I5DZWZKVSZI1NUHU749: check digits are 49, expected 48',
    });
  });

  test('ISO 17442: two swapped characters fail', () => {
    expect(checkLei('I85DZWZKVSZI1NUHU748')).toMatchObject({ ok: false, failed: 'CHECK_CHARACTER' });
  });

  test.each([
    ['8i5DZWZKVSZI1NUHU748', 'character "i" at position 2 is not allowed: LEIs are upper-case'],
    ['8I5DZWZKVSZI1NUHU7A8', 'character "A" at position 19 is not allowed: positions 19–20 are check digits'],
    ['8I5DZWZKVSZI-NUHU748', 'character "-" at position 13 is not allowed: only digits and letters A–Z are used'],
  ])('ISO 17442: %s fails on characters', (lei, reason) => {
    expect(checkLei(lei)).toEqual({ ok: false, identifier: 'LEI', failed: 'CHARACTERS', message: `LEI ${lei}: ${reason}` });
  });

  test.each([
    ['', 0],
    ['8I5DZWZKVSZI1NUHU74', 19],
    ['8I5DZWZKVSZI1NUHU7480', 21],
  ])('ISO 17442: %j has the wrong length', (lei, length) => {
    expect(checkLei(lei)).toEqual({
      ok: false,
      identifier: 'LEI',
      failed: 'LENGTH',
      message: `LEI ${lei}: length is ${length}, expected 20`,
    });
  });
});

describe('ISO 17442 LEI: round trips', () => {
  const CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let seed = 17442;
  const next = (): string => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return CHARS.charAt(Math.floor((seed / 2 ** 31) * CHARS.length));
  };
  const generated = Array.from({ length: 200 }, () => {
    let first18 = '';
    for (let i = 0; i < 18; i++) first18 += next();
    return first18 + leiCheckDigits(first18);
  });

  test('ISO 17442: 200 generated prefixes with their computed check digits pass', () => {
    expect(generated.filter((lei) => !checkLei(lei).ok)).toEqual([]);
  });

  test('ISO 17442: every other pair of check digits fails', () => {
    const lei = generated[0] ?? '';
    const passing = Array.from({ length: 100 }, (_, n) => lei.slice(0, 18) + String(n).padStart(2, '0')).filter((l) => checkLei(l).ok);
    expect(passing).toEqual([lei]);
  });

  test('ISO 17442: leiCheckDigits refuses input that is not 18 upper-case alphanumerics', () => {
    expect(() => leiCheckDigits('8I5DZWZKVSZI1NUHU')).toThrow(RangeError);
    expect(() => leiCheckDigits('8i5DZWZKVSZI1NUHU7')).toThrow(RangeError);
  });
});
