import type { Caller } from '../../lib/auth/caller.js';
import { DateScalar } from '../../lib/graphql/date.js';
import type { RepairLoaders } from './loaders.js';

export interface RepairContext {
  caller: Caller;
  loaders: RepairLoaders;
}

const entryRef = (row: { entryId: string }) => ({ __typename: 'ListEntry', id: row.entryId });
const subjectRef = (row: { subjectCode: string }) => ({ __typename: 'Subject', code: row.subjectCode });

export function repairResolvers() {
  return {
    Date: DateScalar,
    Subject: {
      objections: (subject: { code: string }, _: unknown, { loaders }: RepairContext) => loaders.objectionsOfSubject.load(subject.code),
      repairs: (subject: { code: string }, _: unknown, { loaders }: RepairContext) => loaders.repairsOfSubject.load(subject.code),
    },
    Objection: {
      __resolveReference: (ref: { id: string }, { loaders }: RepairContext) => loaders.objection.load(ref.id),
      subject: subjectRef,
      entry: entryRef,
    },
    RepairApplication: {
      __resolveReference: (ref: { id: string }, { loaders }: RepairContext) => loaders.repair.load(ref.id),
      subject: subjectRef,
      entry: entryRef,
    },
  };
}
