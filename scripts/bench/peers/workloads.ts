import { FILE_FIELDS } from '../common.js';
import { demoDataset, showcaseSubject } from '../../../lib/demo/dataset.js';
import { tasksFor } from '../../../subgraphs/enforcement/inbound.js';

/**
 * The three workloads of `npm run bench:peers`, each a query with its variables and a check of the answer. A department
 * caller sends the query as written; the anonymous caller of our gateway sends `anonymous` when it differs (a query the
 * public may send, because the department's is refused for it).
 */
export interface Query {
  query: string;
  variables: Record<string, unknown>;
}

export interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: Record<string, unknown>;
}

export interface Workload {
  id: 'W1' | 'W2' | 'W3';
  title: string;
  department: Query;
  /** Rows the department's query makes the enforcement subgraph record in credit_checks per answer (E4: every check is recorded). */
  recordsPerAnswer?: number;
  /** What our gateway's anonymous caller sends instead, and why; absent: the department's query. */
  anonymous?: Query & { why: string };
  /** Throws when the answer is not this workload's for this caller (the anonymous caller was sent `anonymous` when there is one). */
  check(answer: Answer, variant: 'department' | 'anonymous'): void;
}

const data = demoDataset();
const showcase = showcaseSubject();
const byCode = new Map(data.subjects.map((s) => [s.code, s]));
/** The determining authority of the showcase subject's entries: with every read scope and a purpose it sees the complete file. */
export const AUTHORITY = data.entries.find((e) => e.subjectCode === showcase.code)!.authority;
export const SEEDED_SUBJECTS = data.subjects.length;

/** 50 subjects that have joint-enforcement tasks (every subgraph has rows to load), as scripts/bench.ts chooses them. */
const RICH = [
  ...new Set(
    data.entries
      .filter((e) => e.status !== 'NOTICE' && tasksFor({ entryId: e.id, kind: e.kind, field: e.field, region: byCode.get(e.subjectCode)!.region }).length > 0)
      .map((e) => e.subjectCode),
  ),
].slice(0, 50);
/** 100 seeded subjects to check, the showcase first (repeated when the seed had fewer than 100). */
const CHECKED = Array.from({ length: 100 }, (_, i) => data.subjects[i % data.subjects.length]!.code);

class WrongAnswer extends Error {}
const wrong = (message: string): never => {
  throw new WrongAnswer(message);
};

function noErrors(answer: Answer): Record<string, unknown> {
  if (answer.errors?.length) wrong(`errors: ${JSON.stringify(answer.errors.map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`)).slice(0, 600)}`);
  if (!answer.data) wrong('no data');
  return answer.data!;
}

function listOf(data: Record<string, unknown>, field: string, codes: string[]): Record<string, unknown>[] {
  const list = data[field];
  if (!Array.isArray(list) || list.length !== codes.length)
    wrong(`${field}: expected ${codes.length} items, got ${Array.isArray(list) ? list.length : typeof list}`);
  (list as (Record<string, unknown> | null)[]).forEach((item, i) => {
    if (!item || item.code !== codes[i]) wrong(`${field}[${i}] should be ${codes[i]}, got ${JSON.stringify(item?.code)}`);
  });
  return list as Record<string, unknown>[];
}

export function workloads(): Workload[] {
  if (RICH.length < 50) throw new Error(`the demonstration data has only ${RICH.length} subjects with tasks, 50 needed`);
  return [
    {
      id: 'W1',
      title: 'W1 one credit file (subject(code) with entries, tasks, objections, repairs)',
      department: { query: `query BenchFile($code: ID!) { subject(code: $code) { ${FILE_FIELDS} } }`, variables: { code: showcase.code } },
      check: (answer) => {
        const file = noErrors(answer).subject as { code?: string; entries?: unknown[] } | null;
        if (!file || file.code !== showcase.code) wrong(`the showcase subject ${showcase.code} is missing`);
        if (!file!.entries?.length) wrong('the credit file has no entries');
      },
    },
    {
      id: 'W2',
      title: 'W2 50 credit files in one query (subjects(codes: 50 seeded subjects with tasks))',
      department: { query: `query BenchFiles($codes: [ID!]!) { subjects(codes: $codes) { ${FILE_FIELDS} } }`, variables: { codes: RICH } },
      check: (answer, variant) => {
        const files = listOf(noErrors(answer), 'subjects', RICH);
        files.forEach((f, i) => {
          if (!Array.isArray(f.entries)) wrong(`subjects[${i}] has no list of entries`);
          // the public sees published entries only: some of these subjects have none
          if (variant === 'department' && (f.entries as unknown[]).length === 0) wrong(`subjects[${i}] has no entries`);
        });
      },
    },
    {
      id: 'W3',
      title: 'W3 100 credit checks in one query (creditChecks(codes: 100 seeded subjects, scenario: BIDDING))',
      department: {
        query: 'query BenchChecks($codes: [ID!]!) { creditChecks(codes: $codes, scenario: BIDDING) { code verdict measures { code } } }',
        variables: { codes: CHECKED },
      },
      recordsPerAnswer: CHECKED.length,
      anonymous: {
        query: 'query BenchStanding($codes: [ID!]!) { subjects(codes: $codes) { code kind entries { kind status validUntil } } }',
        variables: { codes: CHECKED },
        why: 'creditChecks needs the check:run scope: the anonymous caller reads the public entries of the same 100 subjects instead',
      },
      check: (answer, variant) => {
        const data = noErrors(answer);
        if (variant === 'anonymous') {
          listOf(data, 'subjects', CHECKED);
          return;
        }
        const checks = listOf(data, 'creditChecks', CHECKED);
        checks.forEach((c, i) => {
          if (!['CLEAR', 'RESTRICTED', 'INCENTIVE'].includes(c.verdict as string)) wrong(`creditChecks[${i}]: verdict ${JSON.stringify(c.verdict)}`);
        });
        if (checks[0]!.verdict !== 'RESTRICTED') wrong(`the showcase subject should be RESTRICTED, got ${JSON.stringify(checks[0]!.verdict)}`);
      },
    },
  ];
}
