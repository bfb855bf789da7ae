import { checkResidentId, residentIdBirthDate, residentIdCheckChar, residentIdRegion } from './residentId.js';

/** A fixed "today", so the tests do not depend on the clock. */
const TODAY = new Date('2025-06-01T00:00:00Z');

/** A resident ID for a birth date, with its computed check character (region: Chaoyang, Beijing). */
const withCheck = (birth: string, seq = '002'): string => {
  const first17 = `110105${birth}${seq}`;
  return first17 + residentIdCheckChar(first17);
};

describe('GB 11643-1999 resident ID: known-valid numbers', () => {
  test.each([
    // The worked example printed in GB 11643-1999 (Chaoyang district, Beijing, born 1949-12-31).
    ['11010519491231002X', '110105', '1949-12-31'],
    // From python-stdnum's tests/test_cn_ric.doctest.
    ['360426199101010071', '360426', '1991-01-01'],
    ['44011320141005001X', '440113', '2014-10-05'],
  ])('GB 11643-1999: %s passes', (id, region, birth) => {
    expect(checkResidentId(id, TODAY)).toEqual({ ok: true });
    expect(residentIdRegion(id)).toBe(region);
    expect(residentIdBirthDate(id)).toBe(birth);
  });

  test('GB 11643-1999: the check character of the worked example is computed as X', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });

  test('GB 11643-1999: the standard’s second example (born 1880) has a correct check character but is before 1900', () => {
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
    expect(checkResidentId('440524188001010014', TODAY)).toEqual({
      ok: false,
      identifier: 'RESIDENT_ID',
      failed: 'BIRTH_DATE',
      message: 'resident ID 440524188001010014: birth date 1880-01-01 is before 1900-01-01',
    });
  });
});

describe('GB 11643-1999 resident ID: failures', () => {
  test('GB 11643-1999: a wrong check character fails, naming the one expected', () => {
    expect(checkResidentId('110105194912310021', TODAY)).toEqual({
      ok: false,
      identifier: 'RESIDENT_ID',
      failed: 'CHECK_CHARACTER',
      message: 'resident ID 110105194912310021: check character is 1, expected X',
    });
  });

  test('GB 11643-1999: a lower-case x fails on characters', () => {
    expect(checkResidentId('11010519491231002x', TODAY)).toEqual({
      ok: false,
      identifier: 'RESIDENT_ID',
      failed: 'CHARACTERS',
      message: 'resident ID 11010519491231002x: check character "x" must be an upper-case X',
    });
  });

  test.each([
    ['1101051949123100XX', 'character "X" at position 17 is not allowed: positions 1–17 are digits'],
    ['A1010519491231002X', 'character "A" at position 1 is not allowed: positions 1–17 are digits'],
    ['11010519491231002Y', 'check character "Y" is not allowed: it is a digit or X'],
  ])('GB 11643-1999: %s fails on characters', (id, reason) => {
    expect(checkResidentId(id, TODAY)).toEqual({
      ok: false,
      identifier: 'RESIDENT_ID',
      failed: 'CHARACTERS',
      message: `resident ID ${id}: ${reason}`,
    });
  });

  test.each([
    ['', 0],
    ['110105490101002', 15], // a first-generation 15-digit number is not accepted
    ['11010519491231002X0', 19],
  ])('GB 11643-1999: %j has the wrong length', (id, length) => {
    expect(checkResidentId(id, TODAY)).toEqual({
      ok: false,
      identifier: 'RESIDENT_ID',
      failed: 'LENGTH',
      message: `resident ID ${id}: length is ${length}, expected 18`,
    });
  });
});

describe('GB 11643-1999 resident ID: birth date', () => {
  test.each([
    ['19900230', '1990-02-30'], // February 30
    ['20230229', '2023-02-29'], // February 29 of a common year
    ['19000229', '1900-02-29'], // 1900 is divisible by 100 but not by 400: not a leap year
    ['19901301', '1990-13-01'],
    ['19900100', '1990-01-00'],
    ['19900431', '1990-04-31'],
  ])('GB 11643-1999: impossible date %s fails even with a correct check character', (birth, iso) => {
    const id = withCheck(birth);
    expect(residentIdCheckChar(id.slice(0, 17))).toBe(id.charAt(17));
    expect(checkResidentId(id, TODAY)).toEqual({
      ok: false,
      identifier: 'RESIDENT_ID',
      failed: 'BIRTH_DATE',
      message: `resident ID ${id}: birth date ${iso} (positions 7–14) is not a real calendar date`,
    });
  });

  test.each(['20000229', '20240229', '19000101', '19960229'])('GB 11643-1999: real date %s passes', (birth) => {
    expect(checkResidentId(withCheck(birth), TODAY)).toEqual({ ok: true });
  });

  test('GB 11643-1999: a birth date before 1900-01-01 fails', () => {
    expect(checkResidentId(withCheck('18991231'), TODAY)).toMatchObject({ failed: 'BIRTH_DATE' });
  });

  test('GB 11643-1999: a birth date after today fails; today itself passes', () => {
    expect(checkResidentId(withCheck('20250601'), TODAY)).toEqual({ ok: true });
    const tomorrow = withCheck('20250602');
    expect(checkResidentId(tomorrow, TODAY)).toEqual({
      ok: false,
      identifier: 'RESIDENT_ID',
      failed: 'BIRTH_DATE',
      message: `resident ID ${tomorrow}: birth date 2025-06-02 is after today (2025-06-01)`,
    });
  });

  test('GB 11643-1999: "today" is the date in China (UTC+8)', () => {
    // 2025-06-01T17:00Z is already 2025-06-02 01:00 in Beijing.
    expect(checkResidentId(withCheck('20250602'), new Date('2025-06-01T17:00:00Z'))).toEqual({ ok: true });
    expect(checkResidentId(withCheck('20250602'), new Date('2025-06-01T15:59:59Z'))).toMatchObject({ failed: 'BIRTH_DATE' });
  });

  test('GB 11643-1999: the default "today" is the clock', () => {
    expect(checkResidentId(withCheck('20991231'))).toMatchObject({ failed: 'BIRTH_DATE' });
    expect(checkResidentId('11010519491231002X')).toEqual({ ok: true });
  });
});

describe('GB 11643-1999 resident ID: round trips', () => {
  let seed = 11643;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((seed / 2 ** 31) * n);
  };
  const generated = Array.from({ length: 200 }, () => {
    const birth = new Date(Date.UTC(1900, 0, 1) + next(45_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const first17 = `${String(110000 + next(550000)).padStart(6, '0')}${birth}${String(next(1000)).padStart(3, '0')}`;
    return first17 + residentIdCheckChar(first17);
  });

  test('GB 11643-1999: 200 generated prefixes with their computed check character pass', () => {
    expect(generated.filter((id) => !checkResidentId(id, TODAY).ok)).toEqual([]);
  });

  test('GB 11643-1999: every single-digit substitution is detected', () => {
    const missed: string[] = [];
    for (const id of generated.slice(0, 50)) {
      for (let i = 0; i < 18; i++) {
        for (const c of i === 17 ? '0123456789X' : '0123456789') {
          if (c === id.charAt(i)) continue;
          const typo = id.slice(0, i) + c + id.slice(i + 1);
          if (checkResidentId(typo, TODAY).ok) missed.push(typo);
        }
      }
    }
    expect(missed).toEqual([]);
  });

  test('GB 11643-1999: residentIdCheckChar refuses input that is not 17 digits', () => {
    expect(() => residentIdCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => residentIdCheckChar('1101051949123100A')).toThrow(RangeError);
  });
});
