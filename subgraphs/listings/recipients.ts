import { assertIdentifier, checkSubjectCode, normaliseCode } from '../../lib/domain/identifiers/index.js';
import { badInput, requireText } from '../../lib/platform/graphql/validation.js';
import type { ListKind, Recipient } from './model.js';
import type { ListingsStore } from './store.js';

const DEPARTMENT_CODE = /^[A-Z][A-Z0-9_-]{1,31}$/;

/**
 * rule L14: a listing that may not be published (by law: its determination says `published: false`) is notified,
 * instead, to the subject's employer or competent department. A black or red entry that is not published must name
 * the recipient (the others would never learn of it); a focus entry may (it is published only selectively, L11); a
 * published entry names none. Checked before anything is written.
 */
export function checkRecipient(kind: ListKind, published: boolean, notify: Recipient | null | undefined, legacy: ReadonlySet<string>): Recipient | null {
  if (!notify) {
    if (!published && (kind === 'BLACK' || kind === 'RED')) {
      badInput(
        'notify',
        `a ${kind} listing that may not be published is notified to the subject's employer or competent department instead: name it in notify (L14)`,
      );
    }
    return null;
  }
  if (published) badInput('notify', 'only a listing that is not published is notified instead of published (L14)');
  if (notify.kind === 'DEPARTMENT') {
    const to = requireText('notify.to', notify.to, 32).toUpperCase();
    if (!DEPARTMENT_CODE.test(to)) badInput('notify.to', `a department is named by its code (letters, digits, - and _), got ${JSON.stringify(notify.to)}`);
    return { kind: 'DEPARTMENT', to };
  }
  const to = normaliseCode(notify.to);
  assertIdentifier(checkSubjectCode(to, legacy), 'notify.to');
  return { kind: 'EMPLOYER', to };
}

/** An employer is a registered organisation other than the subject itself; checked in the determination's transaction. */
export async function checkEmployer(store: ListingsStore, recipient: Recipient | null, subjectCode: string): Promise<void> {
  if (recipient?.kind !== 'EMPLOYER') return;
  const [employer] = await store.subjectsByCodes([recipient.to]);
  if (!employer || employer.kind !== 'ORGANISATION' || employer.code === subjectCode) {
    badInput('notify.to', `an employer is a registered organisation other than the subject; ${recipient.to} is not (L14)`);
  }
}
