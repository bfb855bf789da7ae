import { createHash } from 'node:crypto';

/** One read of personal data (A2): who, with which token, why, whom it concerned, which fields, when. */
export interface QueryRecord {
  at: Date;
  tokenId: string | null;
  clientId: string | null;
  callerKind: string;
  department: string | null;
  purpose: string | null;
  /** Hash of the GraphQL operation, so the log holds no query text (which may carry identifiers twice). */
  operationHash: string;
  /** Subject codes the answer concerned. */
  subjects: string[];
  /** Schema coordinates revealed in full, e.g. `Person.idNumber`. */
  fields: string[];
  policyVersion: string;
}

export interface StoredRecord extends QueryRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The prevHash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * SHA-256 (hex) of a JSON array in a fixed order. An array, not an object, so key order cannot vary;
 * `at` as an ISO string with milliseconds, which is exactly what timestamptz(3) stores and reads back.
 * Changing anything here invalidates every stored chain.
 */
export function hashRecord(prevHash: string, r: QueryRecord): string {
  const canonical = JSON.stringify([
    prevHash,
    r.at.toISOString(),
    r.tokenId,
    r.clientId,
    r.callerKind,
    r.department,
    r.purpose,
    r.operationHash,
    r.subjects,
    r.fields,
    r.policyVersion,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
