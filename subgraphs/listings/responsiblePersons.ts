import { assertIdentifier, checkResidentId, normaliseCode, residentIdRegion } from '../../lib/domain/identifiers/index.js';
import { badInput, requireText } from '../../lib/platform/graphql/validation.js';
import type { ListKind, Responsibility, Subject } from './model.js';
import type { ListingsStore } from './store.js';

/** A person the determining authority names as responsible for an organisation's entry (L13). */
export interface NamedPersonInput {
  name: string;
  idType?: string | null;
  idNumber: string;
}

/** More would be a list of staff, not of responsible persons; it also bounds the work one determination does. */
const MAX_NAMED = 20;

/** rule L13: an organisation's black or focus entry binds persons; a person's, or a red one, does not. */
export const bindsPersons = (subjectKind: Subject['kind'], kind: ListKind) => subjectKind === 'ORGANISATION' && (kind === 'BLACK' || kind === 'FOCUS');

/**
 * Checks the named persons before anything is written: each is a natural person by resident ID number (a person's
 * file is keyed by it), named once. Returns them normalised.
 */
export function checkNamedPersons(named: readonly NamedPersonInput[] | null | undefined): { code: string; name: string }[] {
  if (!named || named.length === 0) return [];
  if (named.length > MAX_NAMED) badInput('responsiblePersons', `at most ${MAX_NAMED} responsible persons, got ${named.length}`);
  const seen = new Set<string>();
  return named.map((p, i) => {
    const where = `responsiblePersons[${i}]`;
    if ((p.idType ?? 'RESIDENT_ID') !== 'RESIDENT_ID')
      badInput(`${where}.idType`, 'a responsible person is named by resident ID number (RESIDENT_ID): it keys their credit file');
    const code = normaliseCode(p.idNumber);
    assertIdentifier(checkResidentId(code), `${where}.idNumber`);
    if (seen.has(code)) badInput(`${where}.idNumber`, `${code} is named twice`);
    seen.add(code);
    return { code, name: requireText(`${where}.name`, p.name, 100) };
  });
}

/**
 * rule L13: who carries the organisation's new entry — its legal representative as registered (when identified by a
 * resident ID number) and the persons the authority names — each registered as a subject first if new. Runs in the
 * determination's transaction, after the organisation is locked.
 */
export async function responsiblePersonsFor(
  store: ListingsStore,
  organisation: Subject,
  named: readonly { code: string; name: string }[],
): Promise<Omit<Responsibility, 'entryId'>[]> {
  const rep = organisation.legalRepresentative;
  const fromRegistration = rep && rep.idType === 'RESIDENT_ID' ? [{ code: rep.idNumber, name: rep.name, role: 'LEGAL_REPRESENTATIVE' as const }] : [];
  const persons = [...fromRegistration, ...named.filter((p) => p.code !== rep?.idNumber).map((p) => ({ ...p, role: 'NAMED' as const }))];
  const known = new Set((await store.subjectsByCodes(persons.map((p) => p.code))).map((s) => s.code));
  for (const p of persons) {
    if (known.has(p.code)) continue;
    await store.insertSubject({
      code: p.code,
      kind: 'PERSON',
      name: p.name,
      region: residentIdRegion(p.code),
      lei: null,
      phone: null,
      address: null,
      legalRepresentative: null,
    });
  }
  return persons.map((p) => ({ personCode: p.code, role: p.role }));
}
