import { isNoticeRecipient } from '../../lib/contracts/access.js';
import type { Caller } from '../../lib/contracts/caller.js';
import type { EntryEffective } from '../../lib/contracts/events/listings.js';
import type { RecipientKind } from '../../lib/contracts/vocabulary.js';
import type { Clock } from '../../lib/platform/clock.js';
import type { Database, Queryable } from '../../lib/platform/db/index.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { stableUuid } from '../../lib/platform/ids.js';

/** L14: a listing that may not be published, notified instead to the subject's employer or competent department. */
export interface ListingNotice {
  id: string;
  entryId: string;
  subjectCode: string;
  authority: string;
  kind: string;
  field: string;
  recipientKind: RecipientKind;
  recipient: string;
  notifiedOn: string;
  acknowledgedOn: string | null;
}

interface NoticeRow {
  id: string;
  entry_id: string;
  subject_code: string;
  authority: string;
  kind: string;
  field: string;
  recipient_kind: RecipientKind;
  recipient: string;
  notified_on: string;
  acknowledged_on: string | null;
}

const toNotice = (r: NoticeRow): ListingNotice => ({
  id: r.id,
  entryId: r.entry_id,
  subjectCode: r.subject_code,
  authority: r.authority,
  kind: r.kind,
  field: r.field,
  recipientKind: r.recipient_kind,
  recipient: r.recipient,
  notifiedOn: r.notified_on,
  acknowledgedOn: r.acknowledged_on,
});

const SELECT =
  'SELECT id, entry_id, subject_code, authority, kind, field, recipient_kind, recipient, notified_on::text, acknowledged_on::text FROM listing_notices';

/** rule L14: when an entry that may not be published takes effect, its recipient is notified (once: the id is stable). */
export async function notifyRecipient(tx: Queryable, entry: EntryEffective): Promise<void> {
  if (entry.published !== false || !entry.recipient) return;
  await tx.query(
    `INSERT INTO listing_notices (id, entry_id, subject_code, authority, kind, field, recipient_kind, recipient, notified_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
    [
      stableUuid(`notice|${entry.entryId}`),
      entry.entryId,
      entry.subjectCode,
      entry.authority,
      entry.kind,
      entry.field,
      entry.recipient.kind,
      entry.recipient.to,
      entry.on,
    ],
  );
}

/** The notices addressed to the caller, newest first (a department's, or an employer's). */
export async function noticesReceived(db: Queryable, caller: Caller): Promise<ListingNotice[]> {
  const addressee: [RecipientKind, string | null] =
    caller.kind === 'department' ? ['DEPARTMENT', caller.department] : ['EMPLOYER', caller.kind === 'subject' ? caller.principal : null];
  if (!addressee[1]) return [];
  const rows = await db.query<NoticeRow>(`${SELECT} WHERE recipient_kind = $1 AND recipient = $2 ORDER BY notified_on DESC, id`, addressee);
  return rows.map(toNotice);
}

export async function noticesOfSubjects(db: Queryable, codes: readonly string[]): Promise<ListingNotice[]> {
  const rows = await db.query<NoticeRow>(`${SELECT} WHERE subject_code = ANY($1) ORDER BY notified_on, id`, [codes]);
  return rows.map(toNotice);
}

/** rule L14 (as E2): the recipient acknowledges the notice; again: no change. Nobody else can, nor learn it exists. */
export async function acknowledgeNotice(db: Database, clock: Clock, caller: Caller, id: string): Promise<ListingNotice> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<NoticeRow>(`${SELECT} WHERE id = $1 FOR UPDATE`, [id]);
    const notice = row ? toNotice(row) : undefined;
    // a notice that is not the caller's reads as one that does not exist: its id says whom a hidden listing concerns
    if (!notice || !isNoticeRecipient(caller, notice)) throw creditError(ErrorCode.NOT_FOUND, `no notice ${id} addressed to the caller`, { argument: 'id' });
    if (notice.acknowledgedOn) return notice;
    const today = clock.today();
    await tx.query('UPDATE listing_notices SET acknowledged_on = $2 WHERE id = $1', [id, today]);
    return { ...notice, acknowledgedOn: today };
  });
}
