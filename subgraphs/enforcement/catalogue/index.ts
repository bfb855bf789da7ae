/** The joint-enforcement catalogue: lookup of applicable measures (E1 routing, E4 checks) and a consistency check. */
import { FIELDS } from '../../../lib/contracts/vocabulary.js';
import { MEASURES, MEMORANDA } from './memoranda.js';
import { SCENARIOS, type Catalogue, type Measure, type MeasureListKind, type Scenario } from './model.js';

export * from './model.js';

export const CATALOGUE: Catalogue = { memoranda: MEMORANDA, measures: MEASURES };

export interface EntryForMeasures {
  kind: MeasureListKind | 'WARNING';
  field: string;
  /** The subject's administrative division (6 characters), or null when unknown: then only national measures apply. */
  region: string | null;
}

/** Whether a measure's region scope covers a subject's division: national, or its province, city or exact code. */
export function appliesInRegion(measure: Measure, region: string | null): boolean {
  if (measure.regionScope === 'NATIONAL') return true;
  if (region === null || region.length !== 6) return false;
  const province = `${region.slice(0, 2)}0000`;
  const city = `${region.slice(0, 4)}00`;
  return measure.regionScope.some((code) => code === province || code === city || code === region);
}

/**
 * The measures that apply to a list entry: its kind and field are covered, the region scope includes the subject's
 * province, city or division, and (when given) the measure is used in the scenario.
 */
export function measuresFor(entry: EntryForMeasures, scenario?: Scenario, catalogue: Catalogue = CATALOGUE): Measure[] {
  const { kind } = entry;
  if (kind === 'WARNING') return [];
  return catalogue.measures.filter(
    (m) =>
      m.listKinds.includes(kind) &&
      m.fields.includes(entry.field) &&
      appliesInRegion(m, entry.region) &&
      (scenario === undefined || m.scenarios.includes(scenario)),
  );
}

const LIST_KINDS: readonly string[] = ['RED', 'BLACK', 'FOCUS'];
/** Province or city division code: 6 digits, province part 11–82, not all-zero. */
const REGION_CODE = /^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])\d{4}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function duplicates(codes: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const code of codes) (seen.has(code) ? dup : seen).add(code);
  return [...dup];
}

/** Every inconsistency in a catalogue, as human-readable problems; empty when the catalogue is sound. */
export function validateCatalogue(c: Catalogue): string[] {
  const problems: string[] = [];
  const isField = (f: string): boolean => Object.hasOwn(FIELDS, f);

  for (const code of duplicates(c.memoranda.map((m) => m.code))) problems.push(`duplicate memorandum code ${code}`);
  for (const code of duplicates(c.measures.map((m) => m.code))) problems.push(`duplicate measure code ${code}`);

  const memoranda = new Map(c.memoranda.map((m) => [m.code, m]));
  for (const m of c.memoranda) {
    if (m.listKinds.length === 0) problems.push(`memorandum ${m.code}: no list kinds`);
    for (const k of m.listKinds) if (!LIST_KINDS.includes(k)) problems.push(`memorandum ${m.code}: unknown list kind ${k}`);
    if (m.fields.length === 0) problems.push(`memorandum ${m.code}: no fields`);
    for (const f of m.fields) if (!isField(f)) problems.push(`memorandum ${m.code}: unknown field ${f}`);
    if (!DATE.test(m.signedOn) || Number.isNaN(Date.parse(m.signedOn))) problems.push(`memorandum ${m.code}: bad signing date ${m.signedOn}`);
    if (m.title.trim() === '' || m.documentNumber.trim() === '') problems.push(`memorandum ${m.code}: missing title or document number`);
  }

  for (const m of c.measures) {
    const where = `measure ${m.code}`;
    const memo = memoranda.get(m.memorandum);
    if (!memo) problems.push(`${where}: unknown memorandum ${m.memorandum}`);

    if (m.listKinds.length === 0) problems.push(`${where}: no list kinds`);
    for (const k of m.listKinds) {
      if (!LIST_KINDS.includes(k)) problems.push(`${where}: unknown list kind ${k}`);
      else if (memo && !memo.listKinds.includes(k)) problems.push(`${where}: list kind ${k} not among its memorandum's (${memo.listKinds.join(', ')})`);
      if (m.effect === 'INCENTIVE' && (k === 'BLACK' || k === 'FOCUS')) problems.push(`${where}: incentive measure for ${k}`);
      if (m.effect === 'RESTRICTIVE' && k === 'RED') problems.push(`${where}: restrictive measure for RED`);
    }
    if (m.effect !== 'INCENTIVE' && m.effect !== 'RESTRICTIVE') problems.push(`${where}: unknown effect ${String(m.effect)}`);

    if (m.fields.length === 0) problems.push(`${where}: no fields`);
    for (const f of m.fields) if (!isField(f)) problems.push(`${where}: unknown field ${f}`);

    if (m.departments.length === 0) problems.push(`${where}: no implementing departments`);
    if (m.scenarios.length === 0) problems.push(`${where}: no scenarios`);
    for (const s of m.scenarios) if (!SCENARIOS.includes(s)) problems.push(`${where}: unknown scenario ${s}`);
    if (m.legalBasis.trim() === '') problems.push(`${where}: no legal basis`);

    if (m.regionScope !== 'NATIONAL') {
      if (m.regionScope.length === 0) problems.push(`${where}: empty region scope (use NATIONAL)`);
      for (const r of m.regionScope) if (!REGION_CODE.test(r)) problems.push(`${where}: bad region code ${r}`);
    }
  }
  return problems;
}
