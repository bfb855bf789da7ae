import type { Caller } from '../../lib/auth/caller.js';
import type { Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/db/index.js';
import { DateScalar } from '../../lib/graphql/date.js';
import { acknowledgeTask, reportFeedback, type FeedbackInput } from './actOnTask.js';
import type { EnforcementLoaders } from './loaders.js';
import type { EnforcementTask } from './model.js';

export interface EnforcementContext {
  caller: Caller;
  loaders: EnforcementLoaders;
}

export interface EnforcementDeps {
  db: Database;
  clock: Clock;
}

export function enforcementResolvers({ db, clock }: EnforcementDeps) {
  return {
    Date: DateScalar,
    Mutation: {
      acknowledgeTask: (_: unknown, { id }: { id: string }, { caller }: EnforcementContext) => acknowledgeTask(db, caller, id),
      reportFeedback: (_: unknown, { input }: { input: FeedbackInput }, { caller }: EnforcementContext) => reportFeedback(db, clock, caller, input),
    },
    Subject: {
      tasks: (subject: { code: string }, _: unknown, { loaders }: EnforcementContext) => loaders.tasksOfSubject.load(subject.code),
    },
    EnforcementTask: {
      __resolveReference: (ref: { id: string }, { loaders }: EnforcementContext) => loaders.task.load(ref.id),
      subject: (task: EnforcementTask) => ({ __typename: 'Subject', code: task.subjectCode }),
      entry: (task: EnforcementTask) => ({ __typename: 'ListEntry', id: task.entryId }),
      feedback: (task: EnforcementTask, _: unknown, { loaders }: EnforcementContext) => loaders.feedback.load(task.id),
    },
  };
}
