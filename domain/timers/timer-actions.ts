/**
 * What the sweeper does about a request's due timer events: the record as it
 * must be written (what was sent, the breach), the audit events that say so,
 * and the mail to send once that write has won. Pure: the caller reads the
 * record, the trail and the configured addresses, writes with the optimistic
 * lock, and only then mails, so two sweeps never both send.
 *
 * The trail is consulted for notices other parts of the pipeline already
 * sent: an agent-verified console request gets a receipt with its due date at
 * intake (app/console/create-request.ts), which is the acknowledgement;
 * a postponement notice (app/console/clock-actions.ts) is the
 * explanation. Those are recorded, not repeated.
 */
import type { AuditEvent, AuditEventBody } from '../audit';
import type { Actor } from '../lifecycle';
import type { Notice } from '../notices';
import type { PolicyProfile } from '../policy/schema';
import type { RequestRecord } from '../request-record';
import {
  acknowledgementAlertNotice,
  acknowledgementNotice,
  breachNotice,
  explanationNotice,
  reminderNotice,
  type StaffNoticeInput,
} from './notices';
import { reminderRecipient } from './recipients';
import { ACKNOWLEDGEMENT_KIND, EXPLANATION_GIVEN_KIND, type TimerEvent } from './timer-events';

export const SWEEPER: Actor = { kind: 'system', id: 'SweepRequests' };

export interface StaffAddresses {
  /** The privacy team's shared address: reminders of unassigned requests (CONSOLE_TEAM_ADDRESS). */
  readonly team: string;
  /** Breaches and overdue alerts (CONSOLE_SUPERVISORS_ADDRESS). */
  readonly supervisors: string;
}

/** Notices other parts of the pipeline sent, found on the trail: kind → ISO instant of the first. */
export interface NoticesOnTrail {
  /** A receipt with the due date (console intake of an agent-verified request). */
  readonly receipt?: string;
  /** A postponement notice, which carries the explanation. */
  readonly extension?: string;
}

/** The trail's successfully sent receipt and postponement notices. */
export function noticesOnTrail(trail: readonly AuditEvent[]): NoticesOnTrail {
  const firstSent = (notice: string) =>
    trail.find((event) => event.type === 'notification-sent' && event.details?.notice === notice)?.at;
  const receipt = firstSent('receipt') ?? firstSent('acknowledgement');
  const extension = firstSent('extension');
  return { ...(receipt ? { receipt } : {}), ...(extension ? { extension } : {}) };
}

/** Whether deciding on `events` needs the trail (see NoticesOnTrail). */
export function needsTrail(events: readonly TimerEvent[]): boolean {
  return events.some((event) => event.type === 'acknowledgement' || event.type === 'explanation');
}

export interface TimerMail {
  readonly kind: string;
  readonly to: string;
  readonly notice: Notice;
  /** Stable per request and kind, so a mail client (and we) can tell a repeat. */
  readonly messageId: string;
  /** What the audit trail calls the mail if it fails. */
  readonly purpose: 'reminder' | 'breach' | 'acknowledgement' | 'alert';
}

export interface TimerPlan {
  readonly next: RequestRecord;
  readonly events: readonly AuditEventBody[];
  readonly mails: readonly TimerMail[];
  readonly breached: boolean;
  readonly acknowledgedLate: boolean;
}

export interface TimerPlanInput {
  readonly policy: PolicyProfile;
  readonly record: RequestRecord;
  readonly due: readonly TimerEvent[];
  readonly trail: NoticesOnTrail;
  readonly addresses: StaffAddresses;
  readonly now: Date;
}

function messageIdFor(requestId: string, kind: string): string {
  return `<${requestId}.${kind.replace(/[^A-Za-z0-9-]/g, '-')}@timers.dsar-pipeline>`;
}

/** The record, trail events and mail for `due` (from dueTimerEvents on the same record). */
export function planTimerActions(input: TimerPlanInput): TimerPlan {
  const { policy, record, addresses, trail } = input;
  const at = input.now.toISOString();
  const sent: Record<string, string> = { ...(record.remindersSent ?? {}) };
  const events: AuditEventBody[] = [];
  const mails: TimerMail[] = [];
  let breach: RequestRecord['breach'] = record.breach;
  let acknowledgedLate = false;
  const staff: StaffNoticeInput = {
    requestId: record.requestId,
    requestType: record.type,
    policyName: policy.name,
    status: record.status,
  };
  const mail = (kind: string, to: string, notice: Notice, purpose: TimerMail['purpose']) =>
    mails.push({ kind, to, notice, purpose, messageId: messageIdFor(record.requestId, kind) });
  const email = record.identifiers.find((identifier) => identifier.kind === 'email');

  for (const event of input.due) {
    switch (event.type) {
      case 'reminder': {
        sent[event.kind] = at;
        const { to, recipient } = reminderRecipient(record.assignee, addresses.team);
        const details = { kind: event.kind, fraction: event.fraction, dueDate: event.dueDate };
        if (event.superseded) {
          events.push({
            type: 'reminder-sent',
            actor: SWEEPER,
            at,
            details: { ...details, supersededBy: 'later' },
          });
          break;
        }
        events.push({ type: 'reminder-sent', actor: SWEEPER, at, details: { ...details, to: recipient } });
        mail(
          event.kind,
          to,
          reminderNotice({ ...staff, fraction: event.fraction, dueDate: event.dueDate }),
          'reminder',
        );
        break;
      }
      case 'breach': {
        breach = { at, dueDate: event.dueDate };
        events.push({
          type: 'deadline-breached',
          actor: SWEEPER,
          at,
          details: { dueDate: event.dueDate, assigned: record.assignee !== undefined, to: 'supervisors' },
        });
        mail(
          'breach',
          addresses.supervisors,
          breachNotice({ ...staff, dueDate: event.dueDate, assigned: record.assignee !== undefined }),
          'breach',
        );
        break;
      }
      case 'acknowledgement': {
        if (trail.receipt !== undefined) {
          // Already acknowledged at intake: the trail holds that notice; only remember it.
          sent[ACKNOWLEDGEMENT_KIND] = trail.receipt;
          break;
        }
        sent[ACKNOWLEDGEMENT_KIND] = at;
        acknowledgedLate = event.late;
        if (email !== undefined) {
          events.push({
            type: 'notification-sent',
            actor: SWEEPER,
            at,
            details: {
              notice: 'acknowledgement',
              to: email.masked,
              acknowledgeBy: event.acknowledgeBy,
              late: event.late,
            },
          });
          mail(
            event.kind,
            email.value,
            acknowledgementNotice({
              requestId: record.requestId,
              dueDate: record.deadline.dueDate,
              verificationPending: record.status === 'pending-verification' || record.status === 'received',
              organisation: policy.organisation,
            }),
            'acknowledgement',
          );
          break;
        }
        const to = event.late ? addresses.supervisors : reminderRecipient(record.assignee, addresses.team).to;
        events.push({
          type: 'reminder-sent',
          actor: SWEEPER,
          at,
          details: {
            kind: event.kind,
            acknowledgeBy: event.acknowledgeBy,
            late: event.late,
            to: event.late ? 'supervisors' : reminderRecipient(record.assignee, addresses.team).recipient,
          },
        });
        mail(
          event.kind,
          to,
          acknowledgementAlertNotice({ ...staff, acknowledgeBy: event.acknowledgeBy, late: event.late }),
          'alert',
        );
        break;
      }
      case 'explanation': {
        if (trail.extension !== undefined) {
          sent[EXPLANATION_GIVEN_KIND] = trail.extension;
          break;
        }
        sent[event.kind] = at;
        const { to, recipient } = event.overdue
          ? { to: addresses.supervisors, recipient: 'supervisors' as const }
          : reminderRecipient(record.assignee, addresses.team);
        events.push({
          type: 'reminder-sent',
          actor: SWEEPER,
          at,
          details: { kind: event.kind, explanationDueDate: event.explanationDueDate, to: recipient },
        });
        mail(
          event.kind,
          to,
          explanationNotice({
            ...staff,
            // Explanation events are only due on postponed requests.
            postponedOn: record.postponedOn ?? event.explanationDueDate,
            explanationDueDate: event.explanationDueDate,
            overdue: event.overdue,
          }),
          'alert',
        );
        break;
      }
    }
  }
  const next: RequestRecord = {
    ...record,
    ...(Object.keys(sent).length > 0 ? { remindersSent: sent } : {}),
    ...(breach ? { breach } : {}),
  };
  return { next, events, mails, breached: breach !== record.breach, acknowledgedLate };
}
