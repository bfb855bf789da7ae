/**
 * The joint-enforcement catalogue as data (联合奖惩备忘录与措施清单): memoranda (合作备忘录) and the measures (措施)
 * they name, per list kind and field, with implementing departments, legal basis, scenarios and region scope.
 * See /work/shared/domain.md, "Joint enforcement" E1–E6.
 */

/** The approval or service scenario in which a department applies a measure (used by E4 credit checks). */
export type Scenario =
  | 'PROCUREMENT'
  | 'BIDDING'
  | 'FINANCING'
  | 'PERMITS'
  | 'HONOURS'
  | 'PUBLIC_OFFICE'
  | 'HIGH_CONSUMPTION'
  | 'LEAVING_COUNTRY'
  | 'CUSTOMS'
  | 'TAX'
  | 'MARKET_ACCESS'
  | 'SUBSIDIES';

export const SCENARIOS: readonly Scenario[] = [
  'PROCUREMENT',
  'BIDDING',
  'FINANCING',
  'PERMITS',
  'HONOURS',
  'PUBLIC_OFFICE',
  'HIGH_CONSUMPTION',
  'LEAVING_COUNTRY',
  'CUSTOMS',
  'TAX',
  'MARKET_ACCESS',
  'SUBSIDIES',
];

/** List kinds that carry joint measures. WARNING (大数据警示名单) has none of its own. */
export type MeasureListKind = 'RED' | 'BLACK' | 'FOCUS';

export type MeasureEffect = 'RESTRICTIVE' | 'INCENTIVE';

export interface Memorandum {
  /** e.g. 'MOU-COURT-2016'. */
  code: string;
  /** The Chinese title. */
  title: string;
  /** e.g. 发改财金〔2016〕141号. */
  documentNumber: string;
  /** YYYY-MM-DD. */
  signedOn: string;
  listKinds: MeasureListKind[];
  /** Field codes from subgraphs/listings/fields.ts. */
  fields: string[];
}

export interface Measure {
  /** Unique, e.g. 'COURT-B-01'. */
  code: string;
  /** The code of its memorandum. */
  memorandum: string;
  /** Chinese name. */
  name: string;
  /** One sentence, English, for developers. */
  description: string;
  effect: MeasureEffect;
  listKinds: MeasureListKind[];
  /** The entry fields it applies to; usually the memorandum's. */
  fields: string[];
  /** Implementing department codes (MOF, NDRC, PBOC, ...): one E1 task per department. */
  departments: string[];
  /** The memorandum article or law, Chinese. */
  legalBasis: string;
  scenarios: Scenario[];
  /** NATIONAL, or the 6-digit division codes of the provinces/cities where a local measure applies. */
  regionScope: 'NATIONAL' | string[];
  /**
   * L13: the memorandum names the organisation's legal representative or responsible persons for this measure, so it
   * applies to the persons who carry the organisation's entry too (their credit checks say so, with the entry as reason).
   */
  responsiblePersons?: boolean;
}

export interface Catalogue {
  memoranda: Memorandum[];
  measures: Measure[];
}
