import type { Caller } from '../../lib/auth/caller.js';
import { DateScalar } from '../../lib/graphql/date.js';
import type { EnforcementLoaders } from './loaders.js';
import type { EnforcementTask } from './model.js';

export interface EnforcementContext {
  caller: Caller;
  loaders: EnforcementLoaders;
}

export function enforcementResolvers() {
  return {
    Date: DateScalar,
    Subject: {
      tasks: (subject: { code: string }, _: unknown, { loaders }: EnforcementContext) => loaders.tasksOfSubject.load(subject.code),
    },
    EnforcementTask: {
      __resolveReference: (ref: { id: string }, { loaders }: EnforcementContext) => loaders.task.load(ref.id),
      subject: (task: EnforcementTask) => ({ __typename: 'Subject', code: task.subjectCode }),
      entry: (task: EnforcementTask) => ({ __typename: 'ListEntry', id: task.entryId }),
    },
  };
}
