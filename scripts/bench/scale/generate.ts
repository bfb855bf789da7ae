/**
 * The data of `npm run bench:scale`, generated inside PostgreSQL (INSERT ... SELECT over generate_series), never row
 * by row through the API; and the same generator in TypeScript, so the bench knows which codes exist and how many
 * entries each subject has without asking the database.
 *
 * Generated entry n (1, 2, 3, ...) belongs to generated subject s(n): entries come in blocks of ten over four subjects
 * holding 1, 2, 3 and 4 entries (2.5 per subject on average), so growing from one size to the next only appends.
 * Generated subject s is a person when s % 10 = 0 (a resident ID number born 1930–1959, so never one of the
 * demonstration people, born 1960–2000), an organisation otherwise (credit code `91<region>G<s, 8 digits><check>`).
 * Codes `91<region>U<k, 8 digits><check>` are valid credit codes that are never registered: the unlisted codes of a
 * credit check. Every code carries its check character (GB 32100-2015 MOD 31, GB 11643-1999 MOD 11-2).
 *
 * Entries are valid rows of `list_entries` whatever the day the bench runs: dated from CURRENT_DATE so that nothing
 * is due for the listings subgraph's own time-driven transitions (lifecycle.ts) while the bench runs — a notice
 * takes effect in 14 days, what is in force stays valid a year or more, what is exited expired long ago.
 */
import { CREDIT_CODE_CHARS, creditCodeCheckChar, residentIdCheckChar } from '../../../lib/domain/identifiers/index.js';

/** Administrative divisions of the generated subjects (as the demonstration data's). */
export const REGIONS = [
  ['320583', '昆山'],
  ['350100', '福州'],
  ['350200', '厦门'],
  ['110105', '北京朝阳'],
  ['310115', '上海浦东'],
  ['440106', '广州天河'],
  ['330106', '杭州西湖'],
  ['510107', '成都武侯'],
  ['420106', '武汉武昌'],
  ['370202', '青岛市南'],
] as const;

/** Fields of the black and focus entries, with their determining authority (as the demonstration data's). */
const FIELDS = [
  ['TAX', 'STA', '《重大税收违法失信案件信息公布办法》', '虚开增值税专用发票，偷逃税款'],
  ['ENVIRONMENT', 'MEE', '《环境保护法》第六十三条', '超标排放水污染物，拒不改正'],
  ['FOOD_DRUG', 'SAMR', '《食品安全法》第一百二十三条', '生产经营不符合食品安全标准的食品'],
  ['WORK_SAFETY', 'MEM', '《安全生产法》第一百一十条', '发生较大生产安全事故，负有主要责任'],
  ['COURT', 'SPC', '《最高人民法院关于公布失信被执行人名单信息的若干规定》', '有履行能力而拒不履行生效法律文书确定义务'],
  ['CUSTOMS', 'GACC', '《海关企业信用管理办法》', '走私违规，被认定为失信企业'],
  ['PROCUREMENT', 'MOF', '《政府采购法》第七十七条', '提供虚假材料谋取中标'],
  ['CONSTRUCTION', 'MOHURD', '《建筑市场信用管理暂行办法》', '拖欠农民工工资，情节严重'],
] as const;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超华红平';

/** GB 32100-2015 weights of positions 1..17 (3^(i-1) mod 31); GB 11643-1999 weights (2^(18-i) mod 11). */
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK = '10X98765432';
/** 1930-01-01 to 1959-12-31. */
const BIRTH_DAYS = 10_957;
const BIRTH_FROM = Date.UTC(1930, 0, 1);

/** Generated entry ids: UUID-shaped (as the service's own), ordered by n, and recognisable. */
export const ENTRY_ID_PREFIX = '5ca1e000-0000-4000-8000-';
export const FIRST_ENTRY_ID = `${ENTRY_ID_PREFIX}000000000000`;
export const LAST_ENTRY_ID = `${ENTRY_ID_PREFIX}ffffffffffff`;
export const entryId = (n: number) => `${ENTRY_ID_PREFIX}${n.toString(16).padStart(12, '0')}`;
/** A credit code the generator could produce (registered or not): the demonstration data must hold none of them. */
export const GENERATED_CODE = /^91\d{6}[GU]\d{8}.$/;
/** Subjects of the credit-code pattern: 8 digits. */
export const MAX_SUBJECTS = 99_999_999;

// ------------------------------------------------------------------------------------ the shape, in TypeScript

/** Where block positions 0..3 start within a block of ten entries. */
const BLOCK_START = [0, 1, 3, 6];

export function subjectOfEntry(n: number): number {
  const r = (n - 1) % 10;
  return 4 * Math.floor((n - 1) / 10) + (r < 1 ? 1 : r < 3 ? 2 : r < 6 ? 3 : 4);
}

/** Subjects that `generated` entries belong to. */
export const subjectsFor = (generated: number) => (generated === 0 ? 0 : subjectOfEntry(generated));

/** Entries of generated subject `s` once `generated` entries are loaded. */
export function entriesOf(s: number, generated: number): number {
  const pos = (s - 1) % 4;
  const first = 10 * Math.floor((s - 1) / 4) + BLOCK_START[pos]! + 1;
  return Math.max(0, Math.min(pos + 1, generated - first + 1));
}

const region = (i: number) => REGIONS[i % 10]![0];

function creditCode(region: string, marker: 'G' | 'U', k: number): string {
  const first17 = `91${region}${marker}${String(k).padStart(8, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

/** Resident ID number k (0, 1, 2, ...): region, birth date and sequence number all follow from k. */
export function personId(k: number): string {
  const j = Math.floor(k / 10);
  const birth = new Date(BIRTH_FROM + (j % BIRTH_DAYS) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `${region((k % 10) + j)}${birth}${String(Math.floor(j / BIRTH_DAYS) + 1).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

export const isPerson = (s: number) => s % 10 === 0;
export const subjectCode = (s: number) => (isPerson(s) ? personId(2 * s) : creditCode(region(Math.floor(s / 10)), 'G', s));
export const unlistedCode = (k: number) => creditCode(region(k), 'U', k);

// ------------------------------------------------------------------------------------------ the shape, in SQL

const quoted = (s: string) => `'${s.replaceAll("'", "''")}'`;
const pick = (items: readonly string[], index: string) => `(ARRAY[${items.map(quoted).join(', ')}])[(${index}) % ${items.length} + 1]`;
/** Weighted sum of the characters of `text` at positions from..to (1-based), `weights` of those positions. */
const weighted = (text: string, from: number, to: number, weights: number[], value: (char: string) => string) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${weights[from + i - 1]} * ${value(`substr(${text}, ${i + 1}, 1)`)}`).join(' + ');
/** Weighted sum of the decimal digits of the integer `n`, `weights` from its most significant digit on (n < 10^weights.length). */
const digits = (n: string, weights: number[]) => weights.map((w, i) => `${w} * (${n} / ${10 ** (weights.length - 1 - i)} % 10)`).join(' + ');

/**
 * The generator's lookup tables, in a schema of the bench's own (the scale database is the bench's alone): the regions
 * and the birth dates with their parts of the check sums precomputed, so that a code costs integer arithmetic only.
 */
export const SETUP_SQL = [
  'CREATE SCHEMA IF NOT EXISTS bench_scale',
  'CREATE TABLE IF NOT EXISTS bench_scale.regions (i int PRIMARY KEY, code text NOT NULL, city text NOT NULL, credit_sum int NOT NULL, resident_sum int NOT NULL)',
  `INSERT INTO bench_scale.regions (i, code, city, credit_sum, resident_sum)
   SELECT i - 1, code, city,
          ${weighted(`'91' || code`, 1, 8, CREDIT_WEIGHTS, (c) => `(strpos('${CREDIT_CODE_CHARS}', ${c}) - 1)`)},
          ${weighted('code', 1, 6, RESIDENT_WEIGHTS, (c) => `${c}::int`)}
   FROM unnest(ARRAY[${REGIONS.map(([code]) => quoted(code)).join(', ')}], ARRAY[${REGIONS.map(([, city]) => quoted(city)).join(', ')}]) WITH ORDINALITY AS r (code, city, i)
   ON CONFLICT DO NOTHING`,
  'CREATE TABLE IF NOT EXISTS bench_scale.births (day int PRIMARY KEY, ymd text NOT NULL, resident_sum int NOT NULL)',
  `INSERT INTO bench_scale.births (day, ymd, resident_sum)
   SELECT day, ymd, ${weighted('ymd', 7, 14, RESIDENT_WEIGHTS, (c) => `${c}::int`)}
   FROM generate_series(0, ${BIRTH_DAYS - 1}) AS d (day), LATERAL (SELECT to_char(date '1930-01-01' + day, 'YYYYMMDD') AS ymd) AS y
   ON CONFLICT DO NOTHING`,
];

/** Resident ID number `k` (an SQL bigint expression), reading region `r` and birth date `b` (as `person` joins them). */
const personSql = (k: string, r: string, b: string) => {
  const seq = `((${k}) / 10 / ${BIRTH_DAYS} + 1)`;
  return `${r}.code || ${b}.ymd || lpad(${seq}::text, 3, '0')
    || substr('${RESIDENT_CHECK}', ((${r}.resident_sum + ${b}.resident_sum + ${digits(seq, RESIDENT_WEIGHTS.slice(14))}) % 11 + 1)::int, 1)`;
};
/** The region and birth date of resident ID number `k`, joined as `r` and `b`. */
const personJoins = (k: string, r: string, b: string) =>
  `JOIN bench_scale.regions ${r} ON ${r}.i = ((${k}) % 10 + (${k}) / 10) % 10 JOIN bench_scale.births ${b} ON ${b}.day = (${k}) / 10 % ${BIRTH_DAYS}`;
/** Credit code `91<region r><marker><n, 8 digits><check>`. */
const creditSql = (r: string, marker: 'G' | 'U', n: string) =>
  `'91' || ${r}.code || '${marker}' || lpad((${n})::text, 8, '0')
    || substr('${CREDIT_CODE_CHARS}', ((31 - (${r}.credit_sum + ${CREDIT_WEIGHTS[8]! * CREDIT_CODE_CHARS.indexOf(marker)} + ${digits(n, CREDIT_WEIGHTS.slice(9))}) % 31) % 31 + 1)::int, 1)`;

/**
 * The generated subjects whose entries are in [$1, $2] (subjects s(first entry) .. s(last entry)), as rows of
 * `scale_batch`: the entries join to them, and those not registered yet are inserted from them.
 */
export const BATCH_SUBJECTS_SQL = [
  'DROP TABLE IF EXISTS scale_batch',
  `CREATE TEMP TABLE scale_batch AS
   SELECT g.s, g.s % 10 = 0 AS person,
          CASE WHEN g.s % 10 = 0 THEN ${personSql('2 * g.s', 'pr', 'pb')} ELSE ${creditSql('o', 'G', 'g.s')} END AS code,
          CASE WHEN g.s % 10 = 0 THEN pr.code ELSE o.code END AS region,
          CASE WHEN g.s % 10 = 0 THEN pr.city ELSE o.city END AS city,
          ${personSql('2 * g.s + 1', 'lr', 'lb')} AS rep_id
   FROM generate_series($1::bigint, $2::bigint) AS g (s)
   JOIN bench_scale.regions o ON o.i = g.s / 10 % 10
   ${personJoins('2 * g.s', 'pr', 'pb')}
   ${personJoins('2 * g.s + 1', 'lr', 'lb')}`,
  'ANALYZE scale_batch',
];

/** The schemas of one system (lib/platform/db/postgres.ts: a subgraph's database is a schema). */
export interface Schemas {
  listings: string;
  enforcement: string;
}

/** Registers the subjects of `scale_batch` after the $1 registered before. */
export const insertSubjectsSql = ({ listings }: Schemas) => `
  INSERT INTO ${listings}.subjects (code, kind, name, region, phone, address, legal_rep_name, legal_rep_id_type, legal_rep_id_number)
  SELECT code,
         CASE WHEN person THEN 'PERSON' ELSE 'ORGANISATION' END,
         CASE WHEN person THEN ${pick([...SURNAMES], 's')} || ${pick([...GIVEN], 's / 20')} || ${pick([...GIVEN], 's / 400')}
              ELSE city || '规模' || s || '号' || ${pick(['建设工程', '食品', '医药', '化工', '物流', '贸易', '科技'], 's')} || '有限公司' END,
         region,
         '139' || lpad((s % 100000000)::text, 8, '0'),
         city || ${pick(['人民路', '中山路', '解放路', '建设路', '和平路', '文化路', '新华路', '长江路'], 's')} || (s % 300 + 1) || '号',
         CASE WHEN person THEN NULL ELSE ${pick([...SURNAMES], 's + 7')} || ${pick([...GIVEN], 's / 20 + 3')} END,
         CASE WHEN person THEN NULL ELSE 'RESIDENT_ID' END,
         CASE WHEN person THEN NULL ELSE rep_id END
  FROM scale_batch WHERE s > $1::bigint`;

const FIELD_ROWS = FIELDS.map(
  ([field, authority, basis, facts], i) => `(${i}, ${quoted(field)}, ${quoted(authority)}, ${quoted(basis)}, ${quoted(facts)})`,
).join(', ');

/**
 * Entries n in [$1, $2], and — as listings' `effective` events would have built it (enforcement/inbound.ts) — the
 * enforcement subgraph's projection of those in force, which credit checks read (E4). One statement.
 */
export const insertEntriesSql = ({ listings, enforcement }: Schemas) => `
  WITH generated AS (
    SELECT g.n, b.code, b.region, k.kind, st.status, f.field AS catalogue_field, f.authority AS catalogue_authority, f.basis AS catalogue_basis,
           f.facts AS catalogue_facts, d.determined_on
    FROM generate_series($1::bigint, $2::bigint) AS g(n)
    CROSS JOIN LATERAL (SELECT 4 * ((g.n - 1) / 10) + CASE WHEN (g.n - 1) % 10 < 1 THEN 1 WHEN (g.n - 1) % 10 < 3 THEN 2 WHEN (g.n - 1) % 10 < 6 THEN 3 ELSE 4 END AS s,
                               (g.n * 2654435761) % 1000 AS h, (g.n * 40503) % 100 AS h2) AS x
    JOIN scale_batch b ON b.s = x.s
    JOIN (VALUES ${FIELD_ROWS}) AS f (i, field, authority, basis, facts) ON f.i = g.n % ${FIELDS.length}
    CROSS JOIN LATERAL (SELECT CASE WHEN x.h < 350 THEN 'BLACK' WHEN x.h < 650 THEN 'RED' WHEN x.h < 900 THEN 'FOCUS' ELSE 'WARNING' END AS kind) AS k
    CROSS JOIN LATERAL (SELECT CASE WHEN x.h2 < 20 THEN 'EXITED' WHEN k.kind = 'RED' AND x.h2 >= 97 THEN 'NOTICE' ELSE 'EFFECTIVE' END AS status) AS st
    CROSS JOIN LATERAL (SELECT CASE st.status WHEN 'EXITED' THEN current_date - (400 + g.n % 900)::int
                                              WHEN 'NOTICE' THEN current_date - 1
                                              ELSE current_date - (30 + g.n % 900)::int END AS determined_on) AS d
  ),
  inserted AS (
    INSERT INTO ${listings}.list_entries (id, subject_code, kind, status, field, facts, authority, basis, determined_on, valid_until, reported_on,
                                       exit_way, exit_on, exit_reason, published, evidence, effective_on, severity)
    SELECT '${ENTRY_ID_PREFIX}' || lpad(to_hex(n), 12, '0'), code, kind, status,
           catalogue_field,
           CASE kind WHEN 'RED' THEN '连续三年纳税信用评价为A级' WHEN 'WARNING' THEN '3个领域被列入重点关注名单' ELSE catalogue_facts END,
           CASE kind WHEN 'RED' THEN 'STA' WHEN 'WARNING' THEN 'NDRC' ELSE catalogue_authority END,
           CASE kind WHEN 'RED' THEN '《纳税信用管理办法》' WHEN 'WARNING' THEN '发改财金规〔2017〕1798号' ELSE catalogue_basis END,
           determined_on,
           v.valid_until,
           determined_on,
           CASE WHEN status = 'EXITED' THEN 'EXPIRED' END,
           CASE WHEN status = 'EXITED' THEN v.valid_until + 1 END,
           CASE WHEN status = 'EXITED' THEN 'validity ended on ' || v.valid_until END,
           kind <> 'FOCUS' OR n % 10 < 3,
           CASE WHEN kind = 'BLACK' THEN '稽查报告：涉案金额 ' || (10 + n % 890) || ' 万元，主要客户及供货渠道见附件' END,
           CASE WHEN status = 'NOTICE' THEN current_date + 14 END,
           CASE kind WHEN 'BLACK' THEN 'SERIOUS' WHEN 'FOCUS' THEN 'GENERAL' END
    FROM generated
    CROSS JOIN LATERAL (SELECT CASE WHEN status = 'EXITED' THEN determined_on + 365
                                    WHEN status = 'NOTICE' THEN determined_on + 1095
                                    WHEN kind = 'WARNING' THEN NULL
                                    ELSE current_date + (365 + n % 700)::int END AS valid_until) AS v
    RETURNING id, subject_code, kind, status, field, authority, determined_on, published
  )
  INSERT INTO ${enforcement}.entries_in_force (entry_id, subject_code, kind, field, authority, region, since, published)
  SELECT i.id, i.subject_code, i.kind, i.field, i.authority, b.region, i.determined_on, i.published
  FROM inserted i JOIN scale_batch b ON b.code = i.subject_code
  WHERE i.status = 'EFFECTIVE'`;
