/**
 * Copies of the notices the requester was sent. Notices are not stored: each one the trail records is
 * regenerated from its template (domain/notices.ts) with what the record and the trail say, where that
 * gives the text as sent; the others are listed with what the trail says of them (kind, channel, when,
 * to whom, masked) and why no copy is given. See docs/limits.md.
 *
 * Never regenerated: mails that carried a secret (a verification code, a status, cancel or download
 * link) — their text without the secret would not be the text sent, and the secret must not travel in
 * a pack — and notices whose inputs were free text the record does not keep.
 */
import type { AuditEvent } from '../audit';
import { policyRefusalNotice } from '../console/refusal';
import {
  deadlineRecomputedNotice,
  erasureSummaryNotice,
  extensionNotice,
  type Notice,
  receiptNotice,
} from '../notices';
import type { PolicyProfile } from '../policy/schema';
import type { RequestRecord } from '../request-record';

/** Marks the place of a bearer link in a regenerated notice: the link itself is never copied. */
export const WITHHELD_LINK = '[link withheld from this copy: it was a bearer credential]';

export interface NoticeCopy {
  /** Position in the order the notices were sent, 1-based. */
  readonly number: number;
  readonly kind: string;
  readonly channel: 'email' | 'sms';
  /** ISO instant the trail records the notice at. */
  readonly at: string;
  /** The masked recipient, as on the trail. */
  readonly to?: string;
  readonly seq: number;
  /** True: `subject` and `text` are the template's output for this request, as sent. */
  readonly regenerated: boolean;
  readonly subject?: string;
  readonly text?: string;
  /** Why no copy is given (regenerated false), or what in the copy is not as sent. */
  readonly note?: string;
  /** The file of the pack that holds it: `notices/<number>-<kind>.txt`. */
  readonly file: string;
}

export interface NoticeCopiesInput {
  readonly record: RequestRecord;
  readonly policy: PolicyProfile;
  readonly trail: readonly AuditEvent[];
  /** A store's description by id, as the erasure summary names stores. */
  readonly storeDescription: (storeId: string) => string;
}

const DUE_DATE_CHANGES = new Set(['deadline-extended', 'clock-resumed', 'deadline-recomputed']);

/**
 * The due date the request had just after event `seq`: the `dueDateBefore` of the next event that moved
 * it, else the due date stored now.
 */
export function dueDateAfter(
  trail: readonly AuditEvent[],
  seq: number,
  current: string | null,
): string | null {
  const next = trail.find((event) => event.seq > seq && DUE_DATE_CHANGES.has(event.type));
  const before = next?.details?.dueDateBefore;
  return next === undefined ? current : typeof before === 'string' ? before : null;
}

function detail(event: AuditEvent, key: string): string | undefined {
  const value = event.details?.[key];
  return typeof value === 'string' ? value : undefined;
}

type Regeneration = { readonly notice: Notice; readonly note?: string } | { readonly why: string };

const SECRET_BEARING: Readonly<Record<string, string>> = {
  'verification-code': 'it carried a one-time verification code (and a cancel or status link)',
  'package-ready': 'it carried the download link, a bearer credential',
  'portability-transferred': 'it carried a download link of the copy, a bearer credential',
  'portability-transfer-failed': 'it carried a download link of the copy, a bearer credential',
  'fulfilment-wait': 'it carried the "this was not me" cancel link, a bearer credential',
};

function regenerate(
  input: NoticeCopiesInput,
  event: AuditEvent,
  kind: string,
  isLastOfKind: boolean,
): Regeneration {
  const { record, policy, trail } = input;
  const secret = SECRET_BEARING[kind];
  if (secret !== undefined) return { why: `Not regenerated: ${secret}.` };
  const { requestId } = record;
  const organisation = policy.organisation;
  switch (kind) {
    case 'receipt':
      return {
        notice: receiptNotice({
          requestId,
          statusUrl: WITHHELD_LINK,
          dueDate: dueDateAfter(trail, event.seq, record.deadline.dueDate),
          organisation,
        }),
        note: 'The status link is withheld from this copy; the rest is as sent.',
      };
    case 'extension':
      return {
        notice: extensionNotice({
          requestId,
          dueDate: dueDateAfter(trail, event.seq, record.deadline.dueDate),
          ...(record.extensionReason ? { reason: record.extensionReason } : {}),
          organisation,
        }),
      };
    case 'refusal':
      if (record.refusal === undefined) return { why: 'Not regenerated: the record keeps no refusal.' };
      return {
        notice: policyRefusalNotice(requestId, policy, {
          ground: record.refusal.ground,
          reason: record.refusal.reason,
        }),
      };
    case 'deadline-recomputed': {
      const recomputed = trail.findLast(
        (candidate) => candidate.seq < event.seq && candidate.type === 'deadline-recomputed',
      );
      const dueDateBefore = recomputed === undefined ? undefined : detail(recomputed, 'dueDateBefore');
      const dueDate = detail(event, 'dueDate');
      if (dueDateBefore === undefined || dueDate === undefined)
        return { why: 'Not regenerated: the trail does not give both due dates.' };
      return { notice: deadlineRecomputedNotice({ requestId, dueDateBefore, dueDate, organisation }) };
    }
    case 'erasure-summary': {
      const fulfilment = record.fulfilment;
      if (!isLastOfKind || fulfilment === undefined)
        return {
          why: 'Not regenerated: a later summary replaced it, and the results it reported are not kept.',
        };
      if (record.status !== 'fulfilled' && record.status !== 'partially-fulfilled')
        return { why: `Not regenerated: the request is now ${record.status}.` };
      return {
        notice: erasureSummaryNotice({
          requestId,
          status: record.status,
          stores: fulfilment.plannedStores.map((storeId) => {
            const result = fulfilment.storeResults[storeId];
            const description = input.storeDescription(storeId);
            if (result?.status === 'erased') return { description, ...result };
            return {
              description,
              deleted: 0,
              anonymised: 0,
              retained: 0,
              retainedBases: [],
              failed: result?.status === 'failed' ? 'will be retried' : 'pending',
            };
          }),
          ...(fulfilment.backupCaveat ? { backupCaveat: fulfilment.backupCaveat } : {}),
          organisation,
        }),
      };
    }
    case 'information-request':
      return {
        why: 'Not regenerated: the message was the agent’s own words, which the record does not keep.',
      };
    case 'correction':
      return {
        why: 'Not regenerated: the fields per store are on the trail (correction-applied), not the notice’s exact input.',
      };
    case 'acknowledgement':
      return {
        why: 'Not regenerated: the status the request had when it was acknowledged is not kept with the notice.',
      };
    default:
      return { why: `Not regenerated: no template is known for '${kind}'.` };
  }
}

/** The trail's requester notices, in order: notification-sent events and verification codes. */
function noticeEvents(trail: readonly AuditEvent[]) {
  const ordered = [...trail].sort((a, b) => a.seq - b.seq);
  return ordered.flatMap((event) => {
    if (event.type === 'verification-code-sent') {
      const method = detail(event, 'method');
      return [
        {
          event,
          kind: 'verification-code',
          channel: method === 'sms-code' ? ('sms' as const) : ('email' as const),
        },
      ];
    }
    if (event.type !== 'notification-sent') return [];
    const kind = detail(event, 'notice') ?? detail(event, 'kind') ?? 'unknown';
    return [{ event, kind, channel: 'email' as const }];
  });
}

function fileName(number: number, kind: string): string {
  return `notices/${String(number).padStart(2, '0')}-${kind.replace(/[^a-z0-9-]/g, '-')}.txt`;
}

export function noticeCopies(input: NoticeCopiesInput): NoticeCopy[] {
  const found = noticeEvents(input.trail);
  return found.map(({ event, kind, channel }, index) => {
    const number = index + 1;
    const isLastOfKind = !found.slice(index + 1).some((later) => later.kind === kind);
    const outcome = regenerate(input, event, kind, isLastOfKind);
    const to = detail(event, 'to');
    const head = {
      number,
      kind,
      channel,
      at: event.at,
      ...(to ? { to } : {}),
      seq: event.seq,
      file: fileName(number, kind),
    };
    if ('why' in outcome) return { ...head, regenerated: false, note: outcome.why };
    return {
      ...head,
      regenerated: true,
      subject: outcome.notice.subject,
      text: outcome.notice.text,
      ...(outcome.note ? { note: outcome.note } : {}),
    };
  });
}

/** The file a notice copy is written to: a header saying what it is, then the notice or why there is none. */
export function noticeFileText(copy: NoticeCopy): string {
  const header = [
    copy.regenerated
      ? 'REGENERATED FROM THE TEMPLATE AS SENT (notices are not stored; this is the template applied to the request as it was).'
      : 'NO COPY: this notice cannot be regenerated faithfully. What the audit trail records of it:',
    `Kind: ${copy.kind}`,
    `Channel: ${copy.channel}`,
    `Sent at: ${copy.at} (audit event ${copy.seq})`,
    ...(copy.to ? [`To: ${copy.to}`] : []),
    ...(copy.note ? [`Note: ${copy.note}`] : []),
  ];
  if (!copy.regenerated) return `${header.join('\n')}\n`;
  return `${[...header, '', `Subject: ${copy.subject}`, '', copy.text].join('\n')}\n`;
}
