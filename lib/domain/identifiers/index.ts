export type { IdentifierCheck, IdentifierFailure, IdentifierKind } from './check.js';
export { normaliseCode } from './normalise.js';
export { CREDIT_CODE_CHARS, checkCreditCode, creditCodeCheckChar, creditCodeRegion } from './creditCode.js';
export { checkResidentId, residentIdBirthDate, residentIdCheckChar, residentIdRegion } from './residentId.js';
export { checkLei, leiCheckDigits } from './lei.js';
export { checkSubjectCode, type SubjectCodeCheck, type SubjectKind } from './subjectCode.js';
export { assertIdentifier } from './assert.js';
