import { addMonths } from './dates.js';

describe('date arithmetic', () => {
  test('months are calendar months; a day the month lacks becomes its last day', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-08-31', -2)).toBe('2026-06-30');
    expect(addMonths('2026-12-15', 3)).toBe('2027-03-15');
  });
});
