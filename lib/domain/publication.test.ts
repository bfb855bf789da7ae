import { defaultSeverity, publicationWindow } from './publication.js';

describe('publication periods by severity (NDRC order 2025 No. 36)', () => {
  test('minor: repairable at once, at most 3 months; general: 3 months to a year; serious: a year to 3 years', () => {
    expect(publicationWindow('MINOR', '2026-04-01')).toEqual({ earliestEnd: '2026-04-01', lastDay: '2026-07-01' });
    expect(publicationWindow('GENERAL', '2026-04-01')).toEqual({ earliestEnd: '2026-07-01', lastDay: '2027-04-01' });
    expect(publicationWindow('SERIOUS', '2026-04-01')).toEqual({ earliestEnd: '2027-04-01', lastDay: '2029-04-01' });
  });

  test('black is serious and focus general by default; red and warning are not dishonesty information', () => {
    expect(['BLACK', 'FOCUS', 'RED', 'WARNING'].map(defaultSeverity)).toEqual(['SERIOUS', 'GENERAL', null, null]);
  });
});
