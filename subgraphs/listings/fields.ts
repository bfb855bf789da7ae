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
