import { Scope } from '../../lib/contracts/scopes.js';
import type { Caller } from '../../lib/contracts/caller.js';
import type { Clock } from '../../lib/platform/clock.js';
import type { Database } from '../../lib/platform/db/index.js';
import { DateScalar } from '../../lib/platform/graphql/date.js';
import { badInput } from '../../lib/platform/graphql/validation.js';
import { EnforcementStore } from './store.js';
import { acknowledgeTask, reportFeedback, type FeedbackInput } from './actOnTask.js';
import { CATALOGUE, type Measure, type Scenario } from './catalogue/index.js';
import { creditChecks, type CreditCheck } from './creditCheck.js';
import { acknowledgeNotice, noticesReceived, type ListingNotice } from './listingNotices.js';
import type { EnforcementLoaders } from './loaders.js';
import type { EnforcementTask } from './model.js';

export interface EnforcementContext {
  caller: Caller;
  loaders: EnforcementLoaders;
}

export interface EnforcementDeps {
  db: Database;
  clock: Clock;
  legacyCreditCodes: ReadonlySet<string>;
}

export function enforcementResolvers({ db, clock, legacyCreditCodes }: EnforcementDeps) {
  const memoranda = new Map(CATALOGUE.memoranda.map((m) => [m.code, m]));
  return {
    Date: DateScalar,
    Query: {
      creditCheck: async (_: unknown, { code, scenario }: { code: string; scenario: Scenario }, { caller }: EnforcementContext) =>
        (await creditChecks(db, caller, [code], scenario, legacyCreditCodes))[0],
      creditChecks: (_: unknown, { codes, scenario }: { codes: string[]; scenario: Scenario }, { caller }: EnforcementContext) =>
        creditChecks(db, caller, codes, scenario, legacyCreditCodes),
      noticesReceived: (_: unknown, __: unknown, { caller }: EnforcementContext) => noticesReceived(db, caller),
      enforcementStatistics: (_: unknown, { from, to }: { from: string; to: string }, { caller }: EnforcementContext) => {
        if (to < from) badInput('to', `the period ends (${to}) before it starts (${from})`);
        // E6: a department counts its own tasks; an auditor every department's
        return new EnforcementStore(db).statistics(from, to, caller.scopes.has(Scope.AUDIT_READ) ? null : (caller.department ?? ''));
      },
    },
    CreditCheck: {
      entries: (check: CreditCheck) => check.entries.map((e) => ({ __typename: 'ListEntry', id: e.entryId })),
    },
    Measure: {
      memorandum: (measure: Measure) => memoranda.get(measure.memorandum),
      responsiblePersons: (measure: Measure) => measure.responsiblePersons === true,
    },
    Mutation: {
      acknowledgeTask: (_: unknown, { id }: { id: string }, { caller }: EnforcementContext) => acknowledgeTask(db, caller, id),
      acknowledgeNotice: (_: unknown, { id }: { id: string }, { caller }: EnforcementContext) => acknowledgeNotice(db, clock, caller, id),
      reportFeedback: (_: unknown, { input }: { input: FeedbackInput }, { caller }: EnforcementContext) => reportFeedback(db, clock, caller, input),
    },
    Subject: {
      tasks: (subject: { code: string }, _: unknown, { loaders }: EnforcementContext) => loaders.tasksOfSubject.load(subject.code),
      listingNotices: (subject: { code: string }, _: unknown, { loaders }: EnforcementContext) => loaders.noticesOfSubject.load(subject.code),
    },
    ListingNotice: {
      subject: (notice: ListingNotice) => ({ __typename: 'Subject', code: notice.subjectCode }),
      entry: (notice: ListingNotice) => ({ __typename: 'ListEntry', id: notice.entryId }),
    },
    EnforcementTask: {
      __resolveReference: (ref: { id: string }, { loaders }: EnforcementContext) => loaders.task.load(ref.id),
      subject: (task: EnforcementTask) => ({ __typename: 'Subject', code: task.subjectCode }),
      entry: (task: EnforcementTask) => ({ __typename: 'ListEntry', id: task.entryId }),
      feedback: (task: EnforcementTask, _: unknown, { loaders }: EnforcementContext) => loaders.feedback.load(task.id),
    },
  };
}
