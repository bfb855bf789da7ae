import { sameParty } from '../../lib/contracts/access.js';
import type { Caller } from '../../lib/contracts/caller.js';
import type { Clock } from '../../lib/platform/clock.js';
import type { Database } from '../../lib/platform/db/index.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { badInput, requireText } from '../../lib/platform/graphql/validation.js';
import type { EnforcementTask } from './model.js';
import { EnforcementStore } from './store.js';

export interface FeedbackInput {
  taskId: string;
  key: string;
  scenario: string;
  outcome: string;
  on: string;
}

/** A department acts on its own tasks only (E2, E3), and not on a withdrawn one (E5). */
async function ownOpenTask(store: EnforcementStore, caller: Caller, id: string): Promise<EnforcementTask> {
  const [task] = await store.tasksByIds([id]);
  if (!task) throw creditError(ErrorCode.NOT_FOUND, `no task ${id}`, { argument: 'id' });
  if (caller.kind !== 'department' || !sameParty(caller.department, task.department)) {
    throw creditError(ErrorCode.FORBIDDEN, `task ${id} belongs to department ${task.department}`, { argument: 'id' });
  }
  if (task.status === 'WITHDRAWN') {
    throw creditError(ErrorCode.ILLEGAL_TRANSITION, `task ${id} was withdrawn: its entry is no longer in force (E5)`, { rule: 'E5' });
  }
  return task;
}

/** rule E2: the implementing department acknowledges its task (again: no change). */
export async function acknowledgeTask(db: Database, caller: Caller, id: string): Promise<EnforcementTask> {
  return db.transaction(async (tx) => {
    const store = new EnforcementStore(tx);
    await ownOpenTask(store, caller, id);
    await store.acknowledge(id);
    return (await store.tasksByIds([id]))[0]!;
  });
}

/** rule E3: the department reports what it did; the same key twice is recorded once. */
export async function reportFeedback(db: Database, clock: Clock, caller: Caller, input: FeedbackInput): Promise<EnforcementTask> {
  const key = requireText('key', input.key, 100);
  const outcome = requireText('outcome', input.outcome);
  if (input.on > clock.today()) badInput('on', `feedback cannot be dated in the future (${input.on})`);
  return db.transaction(async (tx) => {
    const store = new EnforcementStore(tx);
    const task = await ownOpenTask(store, caller, input.taskId);
    if (input.on < task.initiatedOn) badInput('on', `feedback (${input.on}) cannot precede the task (${task.initiatedOn})`);
    await store.recordFeedback({ taskId: task.id, key, scenario: input.scenario, outcome, on: input.on });
    return (await store.tasksByIds([task.id]))[0]!;
  });
}
