import { checkResidentId, checkSubjectCode } from '../domain/identifiers/index.js';
import { demoDataset, showcaseSubject } from './dataset.js';

describe('the demonstration dataset', () => {
  const data = demoDataset();

  test('is the same on every run, so every service loads a consistent part of it', () => {
    expect(demoDataset()).toEqual(data);
  });

  test('has a few hundred subjects with unique codes that pass their checks, of the kind they claim', () => {
    expect(data.subjects.length).toBeGreaterThanOrEqual(300);
    expect(new Set(data.subjects.map((s) => s.code)).size).toBe(data.subjects.length);
    for (const s of data.subjects) {
      const check = checkSubjectCode(s.code);
      expect({ code: s.code, ok: check.ok, kind: check.ok ? check.kind : undefined }).toEqual({ code: s.code, ok: true, kind: s.kind });
    }
  });

  test('every organisation has a legal representative with a valid resident ID number', () => {
    const organisations = data.subjects.filter((s) => s.kind === 'ORGANISATION');
    expect(organisations.length).toBeGreaterThan(100);
    for (const o of organisations) expect(checkResidentId(o.legalRepresentative!.idNumber)).toEqual({ ok: true });
  });

  test('holds entries of every list kind and every status, and objections and repairs on them', () => {
    expect(new Set(data.entries.map((e) => e.kind))).toEqual(new Set(['RED', 'BLACK', 'FOCUS', 'WARNING']));
    expect(new Set(data.entries.map((e) => e.status))).toEqual(new Set(['NOTICE', 'EFFECTIVE', 'EXITED']));
    const entryIds = new Set(data.entries.map((e) => e.id));
    for (const row of [...data.objections, ...data.repairs]) expect(entryIds.has(row.entryId)).toBe(true);
    expect(data.objections.length).toBeGreaterThan(5);
    expect(data.repairs.length).toBeGreaterThan(5);
  });

  test('the showcase subject is first, with a legal representative 赵 whose ID ends 123X', () => {
    expect(data.subjects[0]).toEqual(showcaseSubject());
    expect(showcaseSubject().legalRepresentative).toMatchObject({ name: expect.stringMatching(/^赵/), idNumber: expect.stringMatching(/^320583\d{8}123X$/) });
  });
});
