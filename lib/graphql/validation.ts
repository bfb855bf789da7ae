import type { IdentifierCheck } from '../identifiers/index.js';
import { ErrorCode, creditError } from '../errors.js';

/** Throws BAD_IDENTIFIER, naming the identifier and the check it failed, unless the check passed. */
export function assertIdentifier<C extends IdentifierCheck>(check: C, argument: string): asserts check is Extract<C, { ok: true }> {
  if (!check.ok) {
    throw creditError(ErrorCode.BAD_IDENTIFIER, check.message, {
      argument,
      identifier: check.identifier,
      failed: check.failed,
    });
  }
}

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
