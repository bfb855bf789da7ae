import { CATALOGUE, SCENARIOS, measuresFor, validateCatalogue, type Catalogue, type Measure, type Memorandum } from './index.js';

const codes = (ms: Measure[]): string[] => ms.map((m) => m.code).sort();

describe('the shipped catalogue', () => {
  test('validates with no problems', () => {
    expect(validateCatalogue(CATALOGUE)).toEqual([]);
  });

  test('has at least 10 memoranda and 40 measures', () => {
    expect(CATALOGUE.memoranda.length).toBeGreaterThanOrEqual(10);
    expect(CATALOGUE.measures.length).toBeGreaterThanOrEqual(40);
  });

  test('covers every scenario', () => {
    const covered = new Set(CATALOGUE.measures.flatMap((m) => m.scenarios));
    expect(SCENARIOS.filter((s) => !covered.has(s))).toEqual([]);
  });

  test("every measure's effect matches its list kinds", () => {
    for (const m of CATALOGUE.measures) {
      if (m.effect === 'INCENTIVE') expect({ code: m.code, kinds: m.listKinds }).toEqual({ code: m.code, kinds: ['RED'] });
      else expect({ code: m.code, red: m.listKinds.includes('RED') }).toEqual({ code: m.code, red: false });
    }
  });

  test('has restrictive BLACK, restrictive FOCUS and incentive RED measures, and regional ones', () => {
    const ms = CATALOGUE.measures;
    expect(ms.some((m) => m.effect === 'RESTRICTIVE' && m.listKinds.includes('BLACK'))).toBe(true);
    expect(ms.some((m) => m.effect === 'RESTRICTIVE' && m.listKinds.includes('FOCUS'))).toBe(true);
    expect(ms.some((m) => m.effect === 'INCENTIVE' && m.listKinds.includes('RED'))).toBe(true);
    const regional = ms.flatMap((m) => (m.regionScope === 'NATIONAL' ? [] : m.regionScope));
    expect(regional).toEqual(expect.arrayContaining(['310000', '330000']));
  });

  test('every memorandum has at least one measure, and document numbers look like 〔year〕N号', () => {
    for (const memo of CATALOGUE.memoranda) {
      expect({ memo: memo.code, n: CATALOGUE.measures.filter((m) => m.memorandum === memo.code).length > 0 }).toEqual({
        memo: memo.code,
        n: true,
      });
      expect(memo.documentNumber).toMatch(/^[\u4e00-\u9fa5]+〔\d{4}〕\d+号$/);
      expect(memo.documentNumber).toContain(`〔${memo.signedOn.slice(0, 4)}〕`);
    }
  });
});

describe('measuresFor', () => {
  test('a BLACK TAX entry gets the tax measures and not the environment ones', () => {
    const got = measuresFor({ kind: 'BLACK', field: 'TAX', region: '110105' });
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((m) => m.fields.includes('TAX') && m.listKinds.includes('BLACK'))).toBe(true);
    expect(codes(got)).toEqual(expect.arrayContaining(['TAX-B-01', 'TAX-B-02', 'TAX-B-03']));
    expect(got.some((m) => m.memorandum === 'MOU-ENV-2016')).toBe(false);
    expect(got.some((m) => m.memorandum === 'MOU-TAX-A-2016')).toBe(false);
  });

  test('a RED entry gets only incentives', () => {
    const got = measuresFor({ kind: 'RED', field: 'TAX', region: '310115' });
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((m) => m.effect === 'INCENTIVE')).toBe(true);
    expect(codes(got)).toContain('TAXA-R-07-SH');
  });

  test('a FOCUS entry gets the focus supervision measures only', () => {
    const got = measuresFor({ kind: 'FOCUS', field: 'WORK_SAFETY', region: null });
    expect(codes(got)).toEqual(['SAFE-F-01']);
  });

  test('a WARNING entry gets no measures', () => {
    expect(measuresFor({ kind: 'WARNING', field: 'TAX', region: '310115' })).toEqual([]);
  });

  test('region: a Shanghai measure applies to a subject in 310115 and not to one in 330106', () => {
    const pudong = codes(measuresFor({ kind: 'BLACK', field: 'COURT', region: '310115' }));
    const hangzhou = codes(measuresFor({ kind: 'BLACK', field: 'COURT', region: '330106' }));
    expect(pudong).toContain('COURT-B-09-SH');
    expect(hangzhou).not.toContain('COURT-B-09-SH');
    expect(hangzhou).toContain('COURT-B-01');
  });

  test('region: a Zhejiang measure applies in 330106 and not in 310115; unknown region gets national only', () => {
    expect(codes(measuresFor({ kind: 'BLACK', field: 'TAX', region: '330106' }))).toContain('TAX-B-08-ZJ');
    expect(codes(measuresFor({ kind: 'BLACK', field: 'TAX', region: '310115' }))).not.toContain('TAX-B-08-ZJ');
    const none = measuresFor({ kind: 'BLACK', field: 'TAX', region: null });
    expect(none.every((m) => m.regionScope === 'NATIONAL')).toBe(true);
  });

  test('region: a city-scoped or district-scoped measure matches by city prefix or exact code', () => {
    const base: Measure = CATALOGUE.measures.find((m) => m.code === 'TAX-B-01')!;
    const cityOnly: Catalogue = {
      memoranda: CATALOGUE.memoranda,
      measures: [
        { ...base, code: 'HZ', regionScope: ['330100'] },
        { ...base, code: 'XIHU', regionScope: ['330106'] },
      ],
    };
    const at = (region: string): string[] => codes(measuresFor({ kind: 'BLACK', field: 'TAX', region }, undefined, cityOnly));
    expect(at('330106')).toEqual(['HZ', 'XIHU']);
    expect(at('330102')).toEqual(['HZ']);
    expect(at('330201')).toEqual([]);
  });

  test('scenario filter', () => {
    const entry = { kind: 'BLACK' as const, field: 'COURT', region: '110105' };
    expect(codes(measuresFor(entry, 'HIGH_CONSUMPTION'))).toEqual(['COURT-B-01', 'COURT-B-02']);
    expect(codes(measuresFor(entry, 'LEAVING_COUNTRY'))).toEqual(['COURT-B-03']);
    expect(measuresFor(entry, 'CUSTOMS')).toEqual([]);
    expect(measuresFor(entry).length).toBeGreaterThan(measuresFor(entry, 'PROCUREMENT').length);
  });
});

describe('validateCatalogue on broken catalogues', () => {
  const memo: Memorandum = {
    code: 'MOU-X',
    title: '测试备忘录',
    documentNumber: '发改财金〔2016〕1号',
    signedOn: '2016-01-01',
    listKinds: ['BLACK'],
    fields: ['TAX'],
  };
  const measure: Measure = {
    code: 'X-B-01',
    memorandum: 'MOU-X',
    name: '限制参与政府采购',
    description: 'Test measure.',
    effect: 'RESTRICTIVE',
    listKinds: ['BLACK'],
    fields: ['TAX'],
    departments: ['MOF'],
    legalBasis: '《中华人民共和国政府采购法》第二十二条',
    scenarios: ['PROCUREMENT'],
    regionScope: 'NATIONAL',
  };
  const with_ = (m: Partial<Measure>, memos: Memorandum[] = [memo]): Catalogue => ({
    memoranda: memos,
    measures: [{ ...measure, ...m }],
  });
  const one = (c: Catalogue): string => {
    const problems = validateCatalogue(c);
    expect(problems).toHaveLength(1);
    return problems[0]!;
  };

  test('the minimal catalogue is sound', () => {
    expect(validateCatalogue(with_({}))).toEqual([]);
  });

  test('duplicate measure codes', () => {
    const c: Catalogue = { memoranda: [memo], measures: [measure, { ...measure }] };
    expect(one(c)).toMatch(/duplicate measure code X-B-01/);
  });

  test('duplicate memorandum codes', () => {
    expect(one(with_({}, [memo, { ...memo }]))).toMatch(/duplicate memorandum code MOU-X/);
  });

  test('a measure naming an unknown memorandum', () => {
    expect(one(with_({ memorandum: 'MOU-NOPE' }))).toMatch(/unknown memorandum MOU-NOPE/);
  });

  test('unknown field codes, on a measure and on a memorandum', () => {
    expect(one(with_({ fields: ['TAXES'] }))).toMatch(/measure X-B-01: unknown field TAXES/);
    const badMemo = { ...memo, fields: ['TAX', 'MINING'] };
    expect(one(with_({}, [badMemo]))).toMatch(/memorandum MOU-X: unknown field MINING/);
  });

  test('empty departments', () => {
    expect(one(with_({ departments: [] }))).toMatch(/no implementing departments/);
  });

  test('empty scenarios', () => {
    expect(one(with_({ scenarios: [] }))).toMatch(/no scenarios/);
  });

  test('an incentive measure for BLACK, and for FOCUS', () => {
    expect(one(with_({ effect: 'INCENTIVE' }))).toMatch(/incentive measure for BLACK/);
    const focusMemo = { ...memo, listKinds: ['FOCUS' as const] };
    expect(one(with_({ effect: 'INCENTIVE', listKinds: ['FOCUS'] }, [focusMemo]))).toMatch(/incentive measure for FOCUS/);
  });

  test('a restrictive measure for RED', () => {
    const redMemo = { ...memo, listKinds: ['RED' as const] };
    expect(one(with_({ listKinds: ['RED'] }, [redMemo]))).toMatch(/restrictive measure for RED/);
  });

  test("a measure's list kinds not within its memorandum's", () => {
    expect(one(with_({ listKinds: ['BLACK', 'FOCUS'] }))).toMatch(/list kind FOCUS not among its memorandum's/);
  });

  test('bad region codes, and an empty region scope', () => {
    expect(one(with_({ regionScope: ['31000'] }))).toMatch(/bad region code 31000/);
    expect(one(with_({ regionScope: ['990000'] }))).toMatch(/bad region code 990000/);
    expect(one(with_({ regionScope: ['SH0000'] }))).toMatch(/bad region code SH0000/);
    expect(one(with_({ regionScope: [] }))).toMatch(/empty region scope/);
    expect(validateCatalogue(with_({ regionScope: ['310000', '330100'] }))).toEqual([]);
  });
});
