import type { DemoDataset } from '../../lib/demo/dataset.js';
import { tasksFor } from '../../subgraphs/enforcement/inbound.js';

/**
 * The joint-enforcement tasks the demonstration data must have after its events were handled (E1): every entry that
 * was in force initiated its catalogue's measures; those of an exited entry were withdrawn (E5).
 */
export function demoTasks(data: DemoDataset) {
  const regions = new Map(data.subjects.map((s) => [s.code, s.region]));
  return data.entries
    .filter((e) => e.status !== 'NOTICE')
    .flatMap((e) =>
      tasksFor({ entryId: e.id, kind: e.kind, field: e.field, region: regions.get(e.subjectCode) ?? null }).map((t) => ({
        ...t,
        subjectCode: e.subjectCode,
        status: e.status === 'EXITED' ? 'WITHDRAWN' : 'INITIATED',
      })),
    );
}
