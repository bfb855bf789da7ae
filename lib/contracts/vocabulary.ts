/**
 * The shared vocabulary of the federation: what every subgraph, the gateway and the events mean by these words. It
 * belongs to none of them (the SDLs spell the same values as enums; a test holds the two together).
 */

/** A credit subject: an organisation (credit code) or a natural person (resident ID number). */
export const SUBJECT_KINDS = ['ORGANISATION', 'PERSON'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** The lists (1798号): red (incentives), black (punishment), focus, warning (L6). */
export const LIST_KINDS = ['RED', 'BLACK', 'FOCUS', 'WARNING'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** NOTICE: in prior notice (L5) or publicity (L4), not yet effective. */
export const ENTRY_STATUSES = ['NOTICE', 'EFFECTIVE', 'EXITED'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** The ways out of a list (L8, L9); SUPERSEDED: a red entry ended by a black or focus one (L2, L9b). */
export const EXIT_WAYS = ['WRONGFUL', 'REPAIRED', 'EXPIRED', 'STANDARD_CHANGED', 'SUPERSEDED'] as const;
export type ExitWay = (typeof EXIT_WAYS)[number];

/** L13: how a person comes to carry an organisation's black or focus entry: as its legal representative, or named by the authority. */
export const RESPONSIBLE_ROLES = ['LEGAL_REPRESENTATIVE', 'NAMED'] as const;
export type ResponsibleRole = (typeof RESPONSIBLE_ROLES)[number];

/** L14: who is notified of a listing that may not be published: the subject's competent department, or its employer (a registered organisation). */
export const RECIPIENT_KINDS = ['DEPARTMENT', 'EMPLOYER'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

/** Publication periods by severity (NDRC order 2025 No. 36). */
export const SEVERITIES = ['MINOR', 'GENERAL', 'SERIOUS'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The field (领域) catalogue of list entries: codes are contract, names are for people. */
export const FIELDS = {
  TAX: '税务',
  ENVIRONMENT: '环境保护',
  FOOD_DRUG: '食品药品',
  WORK_SAFETY: '安全生产',
  COURT: '法院执行',
  CUSTOMS: '海关',
  PROCUREMENT: '政府采购',
  CONSTRUCTION: '工程建设',
  FINANCE: '金融',
  PRICING: '价格',
  QUALITY: '质量监督',
  LABOUR: '劳动保障',
  TRANSPORT: '交通运输',
  STATISTICS: '统计',
} as const;

export type FieldCode = keyof typeof FIELDS;

export function isFieldCode(value: string): value is FieldCode {
  return Object.hasOwn(FIELDS, value);
}
