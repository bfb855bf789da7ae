import type { WorkingDayCalendar } from '../../lib/domain/calendar/index.js';
import type { Database } from '../../lib/platform/db/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { NOT_YET_PROGRESSED, type Objection } from './model.js';
import { RepairStore } from './store.js';
import { objectionTermsFor, type RepairTerms } from './terms.js';

/**
 * Loads the demonstration objections and repair applications (repair's own records) into an empty repair database, in
 * one transaction. The entries they are about reach repair as in production, by listings' events.
 */
export async function seedRepair(db: Database, data: DemoDataset, calendar: WorkingDayCalendar, terms: RepairTerms): Promise<boolean> {
  return db.transaction(async (tx) => {
    const store = new RepairStore(tx);
    if ((await store.objectionCount()) > 0) return false;
    const regions = new Map(data.subjects.map((s) => [s.code, s.region]));
    for (const o of data.objections) {
      const limits = objectionTermsFor(terms, regions.get(o.subjectCode) ?? null);
      const step: Partial<Objection> = {
        FILED: { dueBy: calendar.addWorkingDays(o.filedOn, limits.acceptWorkingDays) },
        ACCEPTED: { acceptedOn: o.filedOn, dueBy: calendar.addWorkingDays(o.filedOn, limits.verifyWorkingDays) },
        REFUSED: { decidedOn: o.filedOn, reason: '不属于异议受理范围' },
        UPHELD: { decidedOn: o.filedOn, reason: '异议成立' },
        REJECTED: {
          acceptedOn: o.filedOn,
          decidedOn: calendar.addWorkingDays(o.filedOn, limits.decideWorkingDays),
          reason: '经核实，认定事实清楚，异议不成立',
        },
      }[o.status];
      await store.insertObjection({
        kind: 'OBJECTION',
        filedBy: o.subjectCode,
        evidence: null,
        dueBy: null,
        ...NOT_YET_PROGRESSED,
        reconsiders: null,
        ...o,
        ...step,
      });
    }
    for (const r of data.repairs) {
      const refused = r.status === 'REFUSED';
      await store.insertRepair({
        ...r,
        corrected: null,
        obligationsMet: null,
        decidedOn: refused ? calendar.addWorkingDays(r.appliedOn, terms.repairDecideWorkingDays) : null,
        reason: refused ? '未满最短公示期限，不予修复 (R8)' : null,
        dueBy: calendar.addWorkingDays(r.appliedOn, terms.repairDecideWorkingDays),
        answerBy: calendar.addWorkingDays(r.appliedOn, terms.repairAnswerWorkingDays),
      });
    }
    return true;
  });
}
