import { ErrorCode, creditError } from '../errors.js';

/** A required free-text input: trimmed, not empty, not longer than `max` characters. */
export function requireText(argument: string, value: string, max = 2000): string {
  const text = value.trim();
  if (text.length === 0) throw creditError(ErrorCode.BAD_USER_INPUT, `${argument} must not be empty`, { argument });
  if (text.length > max) {
    throw creditError(ErrorCode.BAD_USER_INPUT, `${argument} is longer than ${max} characters`, { argument });
  }
  return text;
}

/** Throws BAD_USER_INPUT with the argument named. */
export function badInput(argument: string, message: string): never {
  throw creditError(ErrorCode.BAD_USER_INPUT, message, { argument });
}
