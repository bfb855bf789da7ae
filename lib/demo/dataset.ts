import type { EntryStatus, ExitWay, ListKind, SubjectKind } from '../contracts/vocabulary.js';
import { addDays } from '../domain/dates.js';
import { stableUuid } from '../platform/ids.js';
import { creditCodeCheckChar, residentIdCheckChar } from '../domain/identifiers/index.js';
import { Random } from './random.js';

/**
 * Demonstration data for `npm start` and the end-to-end tests: generated, not real. Organisations carry
 * valid credit codes and legal representatives, people valid resident ID numbers; entries of every list
 * kind and status, with objections and repairs on them. Listings loads the subjects and entries and tells the others
 * by its events (enforcement initiates the tasks, E1); repair loads its own objections and applications.
 */
export interface DemoSubject {
  code: string;
  kind: SubjectKind;
  name: string;
  region: string;
  phone: string | null;
  address: string | null;
  legalRepresentative: { name: string; idType: 'RESIDENT_ID'; idNumber: string } | null;
}
export interface DemoEntry {
  id: string;
  subjectCode: string;
  kind: ListKind;
  status: EntryStatus;
  field: string;
  facts: string;
  authority: string;
  basis: string;
  determinedOn: string;
  validUntil: string | null;
  published: boolean;
  evidence: string | null;
  /** `by`: the black entry that superseded a red one (L2). */
  exit: { way: ExitWay; on: string; reason: string; by?: string } | null;
  /** The black entry whose exit put the subject on this focus entry (L8). */
  follows?: string;
}
export interface DemoObjection {
  id: string;
  entryId: string;
  subjectCode: string;
  authority: string;
  grounds: string;
  status: 'FILED' | 'ACCEPTED' | 'REFUSED' | 'UPHELD' | 'REJECTED';
  filedOn: string;
}
export interface DemoRepair {
  id: string;
  entryId: string;
  subjectCode: string;
  authority: string;
  status: 'APPLIED' | 'APPROVED' | 'REFUSED';
  appliedOn: string;
}
export interface DemoDataset {
  subjects: DemoSubject[];
  entries: DemoEntry[];
  objections: DemoObjection[];
  repairs: DemoRepair[];
}

const REGIONS = [
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
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢';
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '华',
  '建国',
  '志强',
  '海燕',
  '晓东',
  '春梅',
  '立新',
];
const BRANDS = [
  '恒通',
  '华信',
  '鑫源',
  '宏达',
  '金桥',
  '瑞丰',
  '东方',
  '嘉禾',
  '远航',
  '正泰',
  '天成',
  '顺昌',
  '盛世',
  '永安',
  '新亚',
  '润和',
  '中联',
  '博远',
  '汇丰',
  '富康',
];
const TRADES = ['建设工程', '食品', '医药', '化工', '物流', '贸易', '科技', '环保科技', '电子', '房地产开发', '餐饮管理', '纺织', '机械制造', '运输'];
const FORMS = ['有限公司', '股份有限公司', '有限责任公司'];
const FIELDS = {
  TAX: { authority: 'STA', basis: '《重大税收违法失信案件信息公布办法》', facts: '虚开增值税专用发票，偷逃税款' },
  ENVIRONMENT: { authority: 'MEE', basis: '《环境保护法》第六十三条', facts: '超标排放水污染物，拒不改正' },
  FOOD_DRUG: { authority: 'SAMR', basis: '《食品安全法》第一百二十三条', facts: '生产经营不符合食品安全标准的食品' },
  WORK_SAFETY: { authority: 'MEM', basis: '《安全生产法》第一百一十条', facts: '发生较大生产安全事故，负有主要责任' },
  COURT: { authority: 'SPC', basis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》', facts: '有履行能力而拒不履行生效法律文书确定义务' },
  CUSTOMS: { authority: 'GACC', basis: '《海关企业信用管理办法》', facts: '走私违规，被认定为失信企业' },
  PROCUREMENT: { authority: 'MOF', basis: '《政府采购法》第七十七条', facts: '提供虚假材料谋取中标' },
  CONSTRUCTION: { authority: 'MOHURD', basis: '《建筑市场信用管理暂行办法》', facts: '拖欠农民工工资，情节严重' },
} as const;
const STREETS = ['人民路', '中山路', '解放路', '建设路', '和平路', '文化路', '新华路', '长江路'];
const RED_FACTS = { facts: '连续三年纳税信用评价为A级', basis: '《纳税信用管理办法》', authority: 'STA', field: 'TAX' } as const;
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Stable ids: the same dataset gives the same ids, so demonstration links survive a reseed. */
const stableId = (kind: string, n: number) => stableUuid(`${kind}:${n}`);

function residentId(rng: Random, region: string, birthFrom = 1960, birthTo = 2000): string {
  const birth = new Date(Date.UTC(rng.int(birthFrom, birthTo), 0, 1) + rng.int(0, 364) * 86_400_000);
  const first17 = `${region}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(rng.int(1, 999)).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

function creditCode(rng: Random, region: string): string {
  let body = '';
  for (let i = 0; i < 9; i++) body += rng.pick([...CREDIT_CHARS]);
  const first17 = `91${region}${body}`;
  return first17 + creditCodeCheckChar(first17);
}

/**
 * The first demonstration subject, fixed so the README and the start banner can name it: a Kunshan
 * company whose legal representative 赵 has an ID number ending 123X (masked later as 320583********123X).
 */
export function showcaseSubject(): DemoSubject {
  let birth = new Date(Date.UTC(1978, 0, 1));
  let idNumber = '';
  for (;;) {
    const first17 = `320583${birth.toISOString().slice(0, 10).replaceAll('-', '')}123`;
    if (residentIdCheckChar(first17) === 'X') {
      idNumber = `${first17}X`;
      break;
    }
    birth = new Date(birth.getTime() + 86_400_000);
  }
  const first17 = '91320583MA1MDEM00';
  return {
    code: first17 + creditCodeCheckChar(first17),
    kind: 'ORGANISATION',
    name: '昆山恒通建设工程有限公司',
    region: '320583',
    phone: '13912345678',
    address: '江苏省昆山市前进东路 88 号',
    legalRepresentative: { name: '赵建国', idType: 'RESIDENT_ID', idNumber },
  };
}

export function demoDataset(options: { organisations?: number; people?: number; today?: string; seed?: number } = {}): DemoDataset {
  const { organisations = 240, people = 80, today = '2026-11-01', seed = 20171225 } = options;
  const rng = new Random(seed);
  const data: DemoDataset = { subjects: [showcaseSubject()], entries: [], objections: [], repairs: [] };
  const names = new Set<string>([data.subjects[0]!.name]);
  const codes = new Set<string>([data.subjects[0]!.code]);
  const person = () => `${rng.pick([...SURNAMES])}${rng.pick(GIVEN)}`;
  const mobile = () => `1${rng.pick(['39', '38', '58', '86', '77'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;

  while (data.subjects.length < organisations) {
    const [region, city] = rng.pick(REGIONS);
    const name = `${city}${rng.pick(BRANDS)}${rng.pick(TRADES)}${rng.pick(FORMS)}`;
    const code = creditCode(rng, region);
    if (names.has(name) || codes.has(code)) continue;
    names.add(name);
    codes.add(code);
    data.subjects.push({
      code,
      kind: 'ORGANISATION',
      name,
      region,
      phone: mobile(),
      address: `${city}${rng.pick(STREETS)}${rng.int(1, 300)}号`,
      legalRepresentative: { name: person(), idType: 'RESIDENT_ID', idNumber: residentId(rng, region) },
    });
  }
  while (data.subjects.length < organisations + people) {
    const [region] = rng.pick(REGIONS);
    const code = residentId(rng, region);
    if (codes.has(code)) continue;
    codes.add(code);
    const [, city] = REGIONS.find(([r]) => r === region)!;
    data.subjects.push({
      code,
      kind: 'PERSON',
      name: person(),
      region,
      phone: mobile(),
      address: `${city}${rng.pick(STREETS)}${rng.int(1, 300)}号${rng.int(1, 30)}室`,
      legalRepresentative: null,
    });
  }

  let n = 0;
  type Draft = Omit<DemoEntry, 'id' | 'subjectCode' | 'published' | 'evidence'> & Partial<Pick<DemoEntry, 'published' | 'evidence'>>;
  const entry = (subject: DemoSubject, e: Draft): DemoEntry => {
    const full: DemoEntry = {
      id: stableId('entry', n++),
      subjectCode: subject.code,
      // L11: black and red are published; focus only selectively
      published: e.kind !== 'FOCUS' || rng.chance(0.3),
      evidence: e.kind === 'BLACK' ? `稽查报告：涉案金额 ${rng.int(10, 900)} 万元，主要客户及供货渠道见附件` : null,
      ...e,
    };
    data.entries.push(full);
    return full;
  };
  const fieldCodes = Object.keys(FIELDS) as (keyof typeof FIELDS)[];

  data.subjects.forEach((subject, i) => {
    const determinedOn = addDays(today, -rng.int(30, 900));
    const roll = i === 0 ? 0 : rng.next();
    if (roll < 0.3) {
      // Black, effective (or exited in one of its ways), with joint-enforcement tasks and sometimes an objection.
      const field = i === 0 ? 'CONSTRUCTION' : rng.pick(fieldCodes);
      const exited = i !== 0 && rng.chance(0.25);
      const way = rng.pick(['REPAIRED', 'EXPIRED', 'STANDARD_CHANGED'] as const);
      const black = entry(subject, {
        kind: 'BLACK',
        status: exited ? 'EXITED' : 'EFFECTIVE',
        field,
        ...FIELDS[field],
        determinedOn,
        validUntil: addDays(determinedOn, 3 * 365),
        exit: exited ? { way, on: addDays(determinedOn, 400), reason: '依规退出' } : null,
      });
      // joint-enforcement tasks are not data here: enforcement initiates them from listings' events (E1). These
      // draws stand where the tasks were once drawn, so every other subject stays as it was.
      for (let k = 0; k < rng.int(1, 3); k++) if (!exited) rng.pick([0, 1, 2]);
      if (i === 0 || rng.chance(0.2)) {
        data.objections.push({
          id: stableId('objection', data.objections.length),
          entryId: black.id,
          subjectCode: subject.code,
          authority: black.authority,
          grounds: '认定事实有误，已足额支付相关款项',
          status: rng.pick(['FILED', 'ACCEPTED', 'REJECTED'] as const),
          filedOn: addDays(determinedOn, 20),
        });
      }
      if (exited && way !== 'EXPIRED') {
        // After a black exit by repair or change of standard: focus at once (L8).
        entry(subject, {
          kind: 'FOCUS',
          status: 'EFFECTIVE',
          field,
          ...FIELDS[field],
          facts: `退出黑名单后纳入重点关注：${FIELDS[field].facts}`,
          determinedOn: addDays(determinedOn, 400),
          validUntil: addDays(determinedOn, 400 + 365),
          exit: null,
          follows: black.id,
        });
      }
      // R7: an application waits for the minimum publication period (a year for black); the showcase applied too early
      // and was refused (R8), so its file shows that path
      const canApply = addDays(determinedOn, 380) <= today;
      if (i === 0 || (!exited && rng.chance(0.2) && canApply)) {
        data.repairs.push({
          id: stableId('repair', data.repairs.length),
          entryId: black.id,
          subjectCode: subject.code,
          authority: black.authority,
          ...(canApply ? { status: 'APPLIED', appliedOn: addDays(determinedOn, 380) } : { status: 'REFUSED', appliedOn: addDays(determinedOn, 20) }),
        });
      }
    } else if (roll < 0.45) {
      // Focus in one or more fields; three or more distinct fields put the subject on the warning list (L6).
      const fields = [...new Set(Array.from({ length: rng.int(1, 4) }, () => rng.pick(fieldCodes)))];
      for (const field of fields) {
        entry(subject, { kind: 'FOCUS', status: 'EFFECTIVE', field, ...FIELDS[field], determinedOn, validUntil: addDays(determinedOn, 730), exit: null });
      }
      if (fields.length >= 3) {
        entry(subject, {
          kind: 'WARNING',
          status: 'EFFECTIVE',
          field: fields[0]!,
          facts: `${fields.length}个领域被列入重点关注名单`,
          authority: 'NDRC',
          basis: '发改财金规〔2017〕1798号',
          determinedOn,
          validUntil: null,
          exit: null,
        });
      }
    } else if (roll < 0.7) {
      // Red: in publicity (L4) when recent, otherwise effective; sometimes superseded by a later black (L2).
      const recent = rng.chance(0.2);
      entry(subject, {
        kind: 'RED',
        status: recent ? 'NOTICE' : 'EFFECTIVE',
        ...RED_FACTS,
        determinedOn: recent ? addDays(today, -3) : determinedOn,
        validUntil: addDays(determinedOn, 1095),
        exit: null,
      });
    } else if (roll < 0.75) {
      const red = entry(subject, {
        kind: 'RED',
        status: 'EXITED',
        ...RED_FACTS,
        determinedOn,
        validUntil: addDays(determinedOn, 1095),
        exit: { way: 'SUPERSEDED', on: addDays(determinedOn, 200), reason: '列入黑名单，红名单资格终止' },
      });
      const black = entry(subject, {
        kind: 'BLACK',
        status: 'EFFECTIVE',
        field: 'TAX',
        ...FIELDS.TAX,
        determinedOn: addDays(determinedOn, 200),
        validUntil: addDays(determinedOn, 200 + 1095),
        exit: null,
      });
      red.exit!.by = black.id;
    }
  });
  return data;
}
