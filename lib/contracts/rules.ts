/**
 * The rules the code, the tests and the error responses (`extensions.rule`) cite by id, each stated in a sentence:
 * the project's own account of what it enforces (docs/rules.md is generated from here). Sources: the guideline on
 * red and black lists (发改财金规〔2017〕1798号), the notice on credit supervision (发改办财金〔2018〕893号), the credit
 * repair measures (NDRC order 2025 No. 36).
 */
export interface Rule {
  title: string;
  statement: string;
  /** Where it is enforced (folders or files), for a maintainer who follows an id into the code. */
  where: string;
}

export const RULES = {
  L1: {
    title: 'Reporting deadline',
    where: 'subgraphs/listings/determineEntry.ts',
    statement: 'An authority reports an entry within 10 working days of its determination; a later report is recorded and flagged, not refused.',
  },
  L2: {
    title: 'Black ends red',
    where: 'subgraphs/listings/transitions.ts',
    statement: 'When a black entry takes effect, every red entry of the subject in force ends (superseded).',
  },
  L3: {
    title: 'No red beside black or focus',
    where: 'subgraphs/listings/rules.ts',
    statement: 'A red candidate is refused, with the reason, while the subject has a black or focus entry in force.',
  },
  L4: {
    title: 'Red publicity',
    where: 'subgraphs/listings/transitions.ts, subgraphs/listings/inbound.ts',
    statement: 'A red entry is public in notice for a period first; without objection it takes effect, with one it waits for every objection to be decided.',
  },
  L5: {
    title: 'Prior notice to a person',
    where: 'subgraphs/listings/determineEntry.ts',
    statement: 'A natural person is notified before a black entry takes effect; the notice period is recorded and is not publication.',
  },
  L6: {
    title: 'Warning list',
    where: 'subgraphs/listings/transitions.ts',
    statement: 'Focus entries in force in three or more fields put the subject on the warning list; it leaves when that no longer holds.',
  },
  L7: {
    title: 'Focus to black',
    where: 'subgraphs/listings/determineEntry.ts',
    statement: 'A serious breach during a focus entry transfers the subject to black; the focus entry ends, superseded by the black one.',
  },
  L8: {
    title: 'Black exit',
    where: 'subgraphs/listings/exitEntry.ts, subgraphs/listings/transitions.ts',
    statement:
      'A black entry ends (a) as wrongful — deleted, nothing kept — (b) by repair, (c) at the end of its validity, (d) by a change of standard; after (b), (c), (d) the subject is on focus at once, never after (a).',
  },
  L9: {
    title: 'Red exit',
    where: 'subgraphs/listings/exitEntry.ts, subgraphs/listings/transitions.ts',
    statement:
      'A red entry ends (a) as wrongful, (b) when the subject is listed black or focus or abused the incentive, (c) at the end of its validity, (d) by a change of standard.',
  },
  L10: {
    title: 'After an exit',
    where: 'lib/contracts/access.ts',
    statement: 'An exited entry is no longer public and its measures stop; it stays in the back end (except after L8(a)).',
  },
  L11: {
    title: 'Publication',
    where: 'lib/contracts/access.ts',
    statement:
      'Black entries are public, focus entries only when published, red entries after their publicity begins; publication lasts while the entry is in force; personal data and trade secrets are masked first.',
  },
  L12: {
    title: 'Penalty publication',
    where: 'subgraphs/listings/determineEntry.ts',
    statement: 'Administrative-penalty information is published within 7 working days of the decision; later publication is flagged.',
  },
  L13: {
    title: 'Responsible persons',
    where: 'subgraphs/listings/responsiblePersons.ts, subgraphs/enforcement/creditCheck.ts',
    statement:
      "An organisation's black or focus entry in force is carried, as a link, in the files of its legal representative and the persons named responsible; measures that name them apply to them; the link ends with the entry and goes with it after L8(a).",
  },
  L14: {
    title: 'Non-public listings',
    where: 'subgraphs/listings/recipients.ts, subgraphs/enforcement/listingNotices.ts',
    statement:
      "A listing that may not be published is notified instead to the subject's employer or competent department, routed and recorded like a task, and acknowledged by its recipient; nobody else learns it exists.",
  },
  E1: {
    title: 'Initiate',
    where: 'subgraphs/enforcement/inbound.ts',
    statement: 'When an entry takes effect, every applicable measure is initiated: one task per implementing department, routed by measure and region.',
  },
  E2: { title: 'Respond', where: 'subgraphs/enforcement/actOnTask.ts', statement: 'The implementing department acknowledges its task.' },
  E3: {
    title: 'Feedback',
    where: 'subgraphs/enforcement/actOnTask.ts',
    statement: 'The department reports what it did; the same report sent twice is recorded once.',
  },
  E4: {
    title: 'Credit check',
    where: 'subgraphs/enforcement/creditCheck.ts',
    statement:
      'A credit check, for one subject or a batch and a scenario, answers which measures apply now and why, resting only on the entries the caller may see, and is recorded.',
  },
  E5: {
    title: 'Stop',
    where: 'subgraphs/enforcement/inbound.ts',
    statement: 'When an entry exits, its open tasks are withdrawn and checks stop returning its measures.',
  },
  E6: {
    title: 'Statistics',
    where: 'subgraphs/enforcement/store.ts',
    statement: 'Tasks initiated, acknowledged, fed back and withdrawn are counted per department, measure and period.',
  },
  R1: {
    title: 'Objection',
    where: 'subgraphs/repair/objections.ts',
    statement:
      'The subject objects to its own entry, anyone else reports with evidence; the authority accepts or refuses, verifies and decides within time limits; the subject may ask for reconsideration once.',
  },
  R2: {
    title: 'Correction',
    where: 'subgraphs/repair/objections.ts, subgraphs/listings/transitions.ts',
    statement: 'A wrongful black listing is deleted, what it ended is restored, and an apology and a clarification are recorded.',
  },
  R3: {
    title: 'Rectification',
    where: 'subgraphs/repair/rectification.ts',
    statement:
      'An entry may carry rectification requirements and a deadline; missed, the principal is interviewed (a warning interview for black, a prompt one for focus) and the record, a refusal included, joins the file.',
  },
  R4: {
    title: 'Commitment',
    where: 'subgraphs/repair/records.ts',
    statement: 'A public written credit commitment is part of the record and a condition of repair.',
  },
  R5: { title: 'Training', where: 'subgraphs/repair/records.ts', statement: 'Credit-repair training of at least 3 class hours is recorded.' },
  R6: {
    title: 'Credit report',
    where: 'subgraphs/repair/records.ts',
    statement:
      "A registered credit-service agency's report supports an exit application; the subject submits it, or the agency files it under its own token, in its own name only.",
  },
  R7: {
    title: 'Repair application',
    where: 'subgraphs/repair/applications.ts',
    statement: 'Once its conditions are met the subject applies; the authority decides within a time limit; approval exits the entry (L8(b)).',
  },
  R8: {
    title: 'Not repairable',
    where: 'subgraphs/repair/conditions.ts',
    statement:
      'An entry may be not repairable, or only after a date (at least its minimum publication period); an application outside that is refused with the reason and the earliest date.',
  },
  R9: {
    title: 'Declaration',
    where: 'subgraphs/repair',
    statement:
      'The subject attaches a statement to its file or an entry, shown wherever the entry is shown; it replaces or withdraws it, nobody else edits it, and every version is kept.',
  },
  A1: {
    title: 'Need to know',
    where: 'lib/contracts/access.ts, gateway/policy/policy.ts',
    statement:
      'A department sees what its function requires: the determining authority its own entries in full, implementing departments their tasks, others the public part.',
  },
  A2: {
    title: 'Query log',
    where: 'gateway/pipeline/disclose.ts, gateway/audit',
    statement:
      'Personal data is read only with a permission and a stated purpose, and every such read is logged — who, token, purpose, subject, fields, when — in a tamper-evident log.',
  },
  A3: {
    title: 'Public view',
    where: 'gateway/policy/policy.ts',
    statement: 'The public sees the public part only: personal identifiers masked, trade secrets withheld, no focus entry unless published.',
  },
  A4: {
    title: 'Partner banks',
    where: 'lib/contracts/access.ts, gateway/pipeline',
    statement: 'Banks hold scoped tokens: only the lists their scopes name, personal data masked, rate-limited, every query logged.',
  },
  A5: {
    title: 'Market partners',
    where: 'lib/contracts/caller.ts, lib/contracts/access.ts, gateway/policy/policy.ts, gateway/pipeline/disclose.ts, lib/platform/limits.ts',
    statement:
      'Credit-service agencies, industry associations and news media are caller kinds of their own with scoped tokens, treated like banks: only the lists their scopes name, personal data masked as their row of the policy says, limits of their own, every query logged.',
  },
  A6: {
    title: 'No oracle',
    where: 'subgraphs/listings/store.ts, gateway/pipeline/limitPersonLookups.ts',
    statement: 'A person with nothing public is, in every public answer, a code that does not exist; lookups that could complete a masked ID are limited.',
  },
  CAL: {
    title: 'Calendar beyond the notices',
    where: 'lib/domain/calendar',
    statement:
      'A deadline in a year whose holiday notice is not published yet is counted on a provisional calendar (weekends and the statutory holidays, lunar dates computed), marked provisional, and recounted when the notice is added.',
  },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULES, id);
}
