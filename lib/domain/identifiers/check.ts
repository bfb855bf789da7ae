/** Which identifier a check was about. */
export type IdentifierKind = 'CREDIT_CODE' | 'RESIDENT_ID' | 'LEI';

/** The outcome of an identifier check; on failure, `message` is a sentence a caller can show to a user. */
export type IdentifierCheck =
  | { ok: true }
  | {
      ok: false;
      identifier: IdentifierKind;
      failed: 'LENGTH' | 'CHARACTERS' | 'CHECK_CHARACTER' | 'BIRTH_DATE';
      message: string;
    };

export type IdentifierFailure = Extract<IdentifierCheck, { ok: false }>;

export const OK: IdentifierCheck = { ok: true };

const label: Record<IdentifierKind, string> = {
  CREDIT_CODE: 'credit code',
  RESIDENT_ID: 'resident ID',
  LEI: 'LEI',
};

/** Builds a failure whose message reads `<identifier> <value>: <reason>`. */
export function failure(identifier: IdentifierKind, value: string, failed: IdentifierFailure['failed'], reason: string): IdentifierFailure {
  return { ok: false, identifier, failed, message: `${label[identifier]} ${value}: ${reason}` };
}
