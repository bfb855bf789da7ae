import type { Database } from '../../lib/platform/db/index.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { badInput, requireText } from '../../lib/platform/graphql/validation.js';
import {
  assertIdentifier,
  checkLei,
  checkResidentId,
  checkSubjectCode,
  creditCodeRegion,
  normaliseCode,
  residentIdRegion,
} from '../../lib/domain/identifiers/index.js';
import type { Subject, SubjectKind } from './model.js';
import { ListingsStore } from './store.js';

export interface RegisterSubjectInput {
  code: string;
  kind: SubjectKind;
  name: string;
  region?: string | null;
  lei?: string | null;
  phone?: string | null;
  address?: string | null;
  legalRepresentative?: { name: string; idType: string; idNumber: string } | null;
}

const ID_TYPES = new Set(['RESIDENT_ID', 'HMT_RESIDENT', 'FOREIGN', 'PASSPORT']);
const REGION = /^[0-9A-Z]{6}$/;
const PHONE = /^\+?[0-9][0-9-]{5,30}$/;

/** A division code contains itself, and a province (XX0000) or a city (XXXX00) contains the divisions under it. */
export function divisionContains(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  if (outer.endsWith('0000')) return inner.startsWith(outer.slice(0, 2));
  if (outer.endsWith('00')) return inner.startsWith(outer.slice(0, 4));
  return false;
}

/** Checks everything before writing anything: a subject is registered whole or not at all. */
export async function registerSubject(db: Database, legacy: ReadonlySet<string>, input: RegisterSubjectInput): Promise<Subject> {
  const code = normaliseCode(input.code);
  const check = checkSubjectCode(code, legacy);
  assertIdentifier(check, 'code');
  if (check.kind !== input.kind) {
    const expected = input.kind === 'PERSON' ? 'a resident ID number (GB 11643-1999)' : 'a unified social credit code (GB 32100-2015)';
    throw creditError(ErrorCode.BAD_IDENTIFIER, `code ${code} is not ${expected}, as kind ${input.kind} requires`, {
      argument: 'code',
      identifier: input.kind === 'PERSON' ? 'RESIDENT_ID' : 'CREDIT_CODE',
      failed: 'KIND',
    });
  }
  const region = input.region?.trim().toUpperCase() || (input.kind === 'PERSON' ? residentIdRegion(code) : creditCodeRegion(code));
  if (!REGION.test(region)) badInput('region', `region must be a 6-character administrative-division code, got ${JSON.stringify(input.region)}`);
  // an organisation's credit code names the division where it was registered: its region is that one or one containing it
  if (input.kind === 'ORGANISATION' && !divisionContains(region, creditCodeRegion(code))) {
    badInput('region', `region ${region} does not contain ${creditCodeRegion(code)}, the division in credit code ${code}`);
  }

  let lei: string | null = null;
  if (input.lei) {
    if (input.kind !== 'ORGANISATION') badInput('lei', 'only organisations have a LEI');
    lei = normaliseCode(input.lei);
    assertIdentifier(checkLei(lei), 'lei');
  }

  let legalRepresentative: Subject['legalRepresentative'] = null;
  if (input.legalRepresentative) {
    if (input.kind !== 'ORGANISATION') badInput('legalRepresentative', 'only organisations have a legal representative');
    const rep = input.legalRepresentative;
    if (!ID_TYPES.has(rep.idType)) badInput('legalRepresentative.idType', `idType must be one of ${[...ID_TYPES].join(', ')}`);
    const idNumber = rep.idType === 'RESIDENT_ID' ? normaliseCode(rep.idNumber) : requireText('legalRepresentative.idNumber', rep.idNumber, 64);
    if (rep.idType === 'RESIDENT_ID') assertIdentifier(checkResidentId(idNumber), 'legalRepresentative.idNumber');
    legalRepresentative = { name: requireText('legalRepresentative.name', rep.name, 100), idType: rep.idType, idNumber };
  }

  const phone = input.phone ? requireText('phone', input.phone, 32) : null;
  if (phone && !PHONE.test(phone)) badInput('phone', `phone must be digits, optionally with + and -, got ${JSON.stringify(phone)}`);
  const address = input.address ? requireText('address', input.address, 300) : null;
  const subject: Subject = { code, kind: input.kind, name: requireText('name', input.name, 200), region, lei, phone, address, legalRepresentative };
  return db.transaction(async (tx) => {
    const store = new ListingsStore(tx);
    if ((await store.subjectsByCodes([code])).length > 0) {
      throw creditError(ErrorCode.CONFLICT, `subject ${code} is already registered`, { argument: 'code' });
    }
    await store.insertSubject(subject);
    return subject;
  });
}
