/**
 * Trims and upper-cases user input before an identifier check. The checks themselves are strict
 * (a lower-case code is reported, not silently accepted), so callers that take typed input normalise first.
 */
export function normaliseCode(s: string): string {
  return s.trim().toUpperCase();
}
