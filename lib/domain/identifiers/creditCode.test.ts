import { CREDIT_CODE_CHARS, checkCreditCode, creditCodeCheckChar, creditCodeRegion } from './creditCode.js';
import { normaliseCode } from './normalise.js';

/** Small seeded generator so the round-trip cases are the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}
const pick = (next: () => number, chars: string): string => chars.charAt(Math.floor(next() * chars.length));

// The worked example of GB 32100-2015 (quoted as "官方示例" by the bluesky335/IDCheck validator).
const STANDARD_EXAMPLE = '91350100M000100Y43';

describe('GB 32100-2015 credit code: known-valid codes', () => {
  test.each([
    [STANDARD_EXAMPLE, 'worked example of the standard'],
    // Published codes of large banks, as quoted with the bank's name in public code (e.g. a fixture mirroring
    // Eastmoney's profile of 601398.SH gives ICBC's). A mis-quoted code would pass the checksum only 1 time in 31.
    ['91100000100003962T', 'Industrial and Commercial Bank of China'],
    ['911100001000044477', 'China Construction Bank (all digits, check character 7)'],
    ['911000001000013428', 'Bank of China (all digits)'],
    ['91310000631295002H', 'Shanghai Pudong Development Bank'],
    // From the "found online" list in python-stdnum's tests/test_cn_uscc.doctest.
    ['121200004013590816', 'public institution, category 12, all digits'],
    ['91340600MA2PBM9HXD', 'enterprise, new-style MA serial'],
    ['92340602MA2PBMEM24', 'sole trader, category 92'],
    ['9115220107837757XE', 'X inside the organisation code'],
  ])('GB 32100-2015: %s passes (%s)', (code) => {
    expect(checkCreditCode(code)).toEqual({ ok: true });
  });

  test('GB 32100-2015: the check character of the worked example is computed as 3', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });

  test('GB 32100-2015: positions 3–8 are the administrative-division code', () => {
    expect(creditCodeRegion(STANDARD_EXAMPLE)).toBe('350100');
  });
});

describe('GB 32100-2015 credit code: failures', () => {
  test('GB 32100-2015: a wrong check character fails, naming the one expected', () => {
    expect(checkCreditCode('91350100M000100Y4A')).toEqual({
      ok: false,
      identifier: 'CREDIT_CODE',
      failed: 'CHECK_CHARACTER',
      message: 'credit code 91350100M000100Y4A: check character is A, expected 3',
    });
  });

  test.each(['I', 'O', 'S', 'V', 'Z'])('GB 32100-2015: forbidden letter %s fails on characters', (letter) => {
    const code = `91350100${letter}000100Y43`;
    expect(checkCreditCode(code)).toEqual({
      ok: false,
      identifier: 'CREDIT_CODE',
      failed: 'CHARACTERS',
      message: `credit code ${code}: character "${letter}" at position 9 is not allowed: the letters I, O, S, V and Z are not used`,
    });
  });

  test.each(['I', 'O', 'S', 'V', 'Z'])('GB 32100-2015: forbidden letter %s is also refused as check character', (letter) => {
    expect(checkCreditCode(`91350100M000100Y4${letter}`)).toMatchObject({ ok: false, failed: 'CHARACTERS' });
  });

  test.each([
    ['', 0],
    ['91350100M000100Y4', 17],
    ['91350100M000100Y433', 19],
    [' 91350100M000100Y43', 19],
  ])('GB 32100-2015: %j has the wrong length', (code, length) => {
    expect(checkCreditCode(code)).toEqual({
      ok: false,
      identifier: 'CREDIT_CODE',
      failed: 'LENGTH',
      message: `credit code ${code}: length is ${length}, expected 18`,
    });
  });

  test('GB 32100-2015: a lower-case code fails on characters; normaliseCode fixes it', () => {
    const typed = ' 91350100m000100y43 ';
    expect(checkCreditCode(typed.trim())).toEqual({
      ok: false,
      identifier: 'CREDIT_CODE',
      failed: 'CHARACTERS',
      message: 'credit code 91350100m000100y43: character "m" at position 9 is not allowed: credit codes are upper-case',
    });
    expect(checkCreditCode(normaliseCode(typed))).toEqual({ ok: true });
  });

  test('GB 32100-2015: punctuation and full-width digits fail on characters', () => {
    expect(checkCreditCode('91350100-000100Y43')).toMatchObject({ failed: 'CHARACTERS' });
    expect(checkCreditCode('９1350100M000100Y43')).toMatchObject({ failed: 'CHARACTERS' });
  });
});

describe('GB 32100-2015 credit code: legacy pilot codes', () => {
  // A Xiamen pilot-era code that is real but fails the checksum (listed as such by bluesky335/IDCheck).
  const LEGACY = '91350211M0000XUF46';

  test('GB 32100-2015: a pilot code with a wrong check character fails without the legacy set', () => {
    expect(checkCreditCode(LEGACY)).toEqual({
      ok: false,
      identifier: 'CREDIT_CODE',
      failed: 'CHECK_CHARACTER',
      message: 'credit code 91350211M0000XUF46: check character is 6, expected R',
    });
    expect(checkCreditCode(LEGACY, new Set(['91350100M0001TGQXM']))).toMatchObject({ failed: 'CHECK_CHARACTER' });
  });

  test('GB 32100-2015: a pilot code passes when it is in the legacy set', () => {
    expect(checkCreditCode(LEGACY, new Set([LEGACY]))).toEqual({ ok: true });
  });

  test('GB 32100-2015: the legacy set excuses only the check character, not length or characters', () => {
    const short = LEGACY.slice(0, 17);
    const lower = LEGACY.toLowerCase();
    expect(checkCreditCode(short, new Set([short]))).toMatchObject({ failed: 'LENGTH' });
    expect(checkCreditCode(lower, new Set([lower]))).toMatchObject({ failed: 'CHARACTERS' });
  });
});

describe('GB 32100-2015 credit code: round trips', () => {
  const next = random(32100);
  const generated = Array.from({ length: 200 }, () => {
    const department = pick(next, '1256789ANY');
    let rest = '';
    for (let i = 0; i < 16; i++) rest += pick(next, CREDIT_CODE_CHARS);
    const first17 = department + rest;
    return first17 + creditCodeCheckChar(first17);
  });

  test('GB 32100-2015: 200 generated prefixes with their computed check character pass', () => {
    expect(generated.filter((code) => !checkCreditCode(code).ok)).toEqual([]);
  });

  test('GB 32100-2015: letters in positions 3–8 are accepted', () => {
    const first17 = 'A1AB12CDMA2PBM9HX';
    expect(checkCreditCode(first17 + creditCodeCheckChar(first17))).toEqual({ ok: true });
  });

  test('GB 32100-2015: every single-character substitution is detected', () => {
    const missed: string[] = [];
    for (const code of generated.slice(0, 20)) {
      for (let i = 0; i < 18; i++) {
        for (const c of CREDIT_CODE_CHARS) {
          if (c === code.charAt(i)) continue;
          const typo = code.slice(0, i) + c + code.slice(i + 1);
          if (checkCreditCode(typo).ok) missed.push(typo);
        }
      }
    }
    expect(missed).toEqual([]);
  });

  test('GB 32100-2015: creditCodeCheckChar refuses input that is not 17 code characters', () => {
    expect(() => creditCodeCheckChar('91350100M000100Y')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91350100O000100Y4')).toThrow(RangeError);
  });
});
