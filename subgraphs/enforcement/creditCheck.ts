import { entryViewOf, entryVisible, isOwnFile } from '../../lib/contracts/access.js';
import type { Caller } from '../../lib/contracts/caller.js';
import type { Database } from '../../lib/platform/db/index.js';
import { badInput } from '../../lib/platform/graphql/validation.js';
import { assertIdentifier, checkSubjectCode, normaliseCode } from '../../lib/domain/identifiers/index.js';
import { measuresFor, type Measure, type Scenario } from './catalogue/index.js';
import type { InForce } from './model.js';
import { EnforcementStore } from './store.js';

export type Verdict = 'CLEAR' | 'RESTRICTED' | 'INCENTIVE';

export interface CreditCheck {
  code: string;
  scenario: Scenario;
  verdict: Verdict;
  measures: Measure[];
  entries: InForce[];
}

const MAX_CODES = 1000;

/**
 * rule E4: for each subject, the measures that apply now in this scenario, and why (the entries in force). A check
 * rests only on entries the caller may see (A1, A4, L11: lib/contracts/access.ts): a department with credit:read on every
 * entry in force; anyone else on the public part — a partner bank on the lists its scopes name — and a subject on all
 * of its own. So the verdict never tells what the entries withhold.
 * A batch costs two statements whatever its size: one read of the entries in force, one insert recording
 * every check (who asked, for what, what was answered).
 */
/**
 * L13: whose checks count the organisations' entries a person carries. The link between a person and a listed
 * organisation is personal data: departments (who implement the measures) and the person itself see it; for the
 * public and market partners a person's check rests on the person's own entries only.
 */
function appliesCarriedEntries(caller: Caller, code: string): boolean {
  return caller.kind === 'department' || isOwnFile(caller, code);
}

export async function creditChecks(
  db: Database,
  caller: Caller,
  rawCodes: readonly string[],
  scenario: Scenario,
  legacy: ReadonlySet<string>,
): Promise<CreditCheck[]> {
  if (rawCodes.length > MAX_CODES) badInput('codes', `at most ${MAX_CODES} codes per check, got ${rawCodes.length}`);
  const codes = rawCodes.map((raw, i) => {
    const code = normaliseCode(raw);
    assertIdentifier(checkSubjectCode(code, legacy), rawCodes.length === 1 ? 'code' : `codes[${i}]`);
    return code;
  });
  const store = new EnforcementStore(db);
  const view = entryViewOf(caller);
  const inForce = await store.inForceFor(codes);
  const visible = (e: InForce) => e.kind !== 'WARNING' && entryVisible(view, { ...e, status: 'EFFECTIVE' }, e.subjectCode);
  const checks = codes.map((code): CreditCheck => {
    const own = inForce.filter((e) => e.carriedBy === null && e.subjectCode === code && visible(e));
    // L13: an organisation's entry the person carries binds them by the measures that name them, and is the reason
    const carried = appliesCarriedEntries(caller, code)
      ? inForce
          .filter((e) => e.carriedBy === code && visible(e))
          .map((e) => ({ entry: e, measures: measuresFor(e, scenario).filter((m) => m.responsiblePersons) }))
      : [];
    const binding = carried.filter((c) => c.measures.length > 0);
    const entries = [...own, ...binding.map((c) => c.entry)];
    const all = [...own.flatMap((e) => measuresFor(e, scenario)), ...binding.flatMap((c) => c.measures)];
    const measures = [...new Map(all.map((m) => [m.code, m])).values()];
    const verdict: Verdict = measures.some((m) => m.effect === 'RESTRICTIVE') ? 'RESTRICTED' : measures.length > 0 ? 'INCENTIVE' : 'CLEAR';
    return { code, scenario, verdict, measures, entries };
  });
  await store.recordChecks(
    checks.map((c) => ({
      clientId: caller.clientId,
      department: caller.department,
      subjectCode: c.code,
      scenario,
      verdict: c.verdict,
      measures: c.measures.map((m) => m.code),
      entries: c.entries.map((e) => e.entryId),
    })),
  );
  return checks;
}
