import { ErrorCode, creditError } from '../../platform/errors.js';
import type { IdentifierCheck } from './check.js';

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
