import { Kind } from 'graphql';
import { DateScalar, isIsoDate } from './date.js';

describe('the Date scalar', () => {
  test('accepts real calendar dates written YYYY-MM-DD, leap days included', () => {
    for (const d of ['2024-02-29', '2026-01-01', '2000-02-29']) expect(DateScalar.parseValue(d)).toBe(d);
  });

  test.each(['2023-02-29', '2026-13-01', '2026-04-31', '2026-1-5', '05/01/2026', '', 20260101])('refuses %p with BAD_USER_INPUT', (value) => {
    expect(() => DateScalar.parseValue(value)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });

  test('a literal in the query is checked the same way', () => {
    expect(DateScalar.parseLiteral({ kind: Kind.STRING, value: '2026-11-23' })).toBe('2026-11-23');
    expect(() => DateScalar.parseLiteral({ kind: Kind.INT, value: '20261123' })).toThrow();
  });

  test('isIsoDate knows the calendar', () => {
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('1904-02-29')).toBe(true);
  });
});
