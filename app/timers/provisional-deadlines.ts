/**
 * The sweep job that makes provisional deadlines official: a request whose deadline was counted on the
 * statutory baseline for a year whose notice has since been imported is recomputed from its stored
 * facts (domain/timers/provisional-recompute.ts). Decided on the index copy, decided again on a
 * consistent read, written with the optimistic lock together with its `deadline-recomputed` event; only
 * after that write won is the requester told, when the due date moved, so two sweeps never both mail.
 * The mail's outcome goes on the trail (notification-sent or -failed), as the console's notices do; a
 * failed mail is logged and counted, not retried.
 *
 * It runs before the deadline timers: a request it changes is left to them until the next sweep, which
 * reads the official dates.
 */
import { deadlineRecomputedNotice } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';
import type { RequestRecord } from '../../domain/request-record';
import { needsRecompute, planProvisionalRecompute } from '../../domain/timers/provisional-recompute';
import { SWEEPER } from '../../domain/timers/timer-actions';
import { errorNameOf, type SweepJob, type SweepJobDeps } from './sweep-job';

const NOTICE_KIND = 'deadline-recomputed';

type NoticeDeps = Pick<SweepJobDeps, 'requests' | 'mailer' | 'telemetry' | 'clock'>;

/** Mails the new due date and records the outcome on the trail. */
async function tellRequester(
  deps: NoticeDeps,
  record: RequestRecord,
  dueDateBefore: string,
  dueDate: string,
): Promise<void> {
  const email = record.identifiers.find((identifier) => identifier.kind === 'email');
  if (email === undefined) {
    deps.telemetry.info('Recomputed due date not mailed: no email address', { requestId: record.requestId });
    return;
  }
  const notice = deadlineRecomputedNotice({
    requestId: record.requestId,
    dueDateBefore,
    dueDate,
    organisation: getPolicy(record.policyId).organisation,
  });
  let details: Record<string, unknown>;
  let sent: boolean;
  try {
    await deps.mailer.send({
      to: email.value,
      ...notice,
      messageId: `<${record.requestId}.${NOTICE_KIND}-${dueDate}@timers.dsar-pipeline>`,
    });
    sent = true;
    details = { notice: NOTICE_KIND, to: email.masked, dueDate };
  } catch (error) {
    const errorName = errorNameOf(error);
    deps.telemetry.error('Requester notice not sent', {
      requestId: record.requestId,
      notice: NOTICE_KIND,
      errorName,
    });
    deps.telemetry.count('NotificationFailed');
    sent = false;
    details = { notice: NOTICE_KIND, errorName };
  }
  await deps.requests
    .mutate(record.requestId, (current) => ({
      next: current,
      events: [
        {
          type: sent ? 'notification-sent' : 'notification-failed',
          actor: SWEEPER,
          at: deps.clock.now().toISOString(),
          details,
        },
      ],
    }))
    .catch((error: unknown) => {
      deps.telemetry.error('Notice outcome not recorded on the trail', {
        requestId: record.requestId,
        errorName: errorNameOf(error),
      });
    });
}

export const recomputeProvisionalDeadlines = {
  name: 'recompute-provisional-deadlines',
  async run(deps, candidate, { now, calendars }) {
    if (!needsRecompute(getPolicy(candidate.policyId), candidate, calendars)) return 'unchanged';
    const record = await deps.requests.get(candidate.requestId);
    const policy = getPolicy(record.policyId);
    const plan = planProvisionalRecompute({ policy, record, calendars, now });
    if (plan === undefined) return 'unchanged';
    const stored = await deps.requests.save(record, plan.next, [plan.event]);
    deps.telemetry.count('DeadlineRecomputed');
    deps.telemetry.info('Provisional deadline recomputed', {
      requestId: record.requestId,
      policy: policy.id,
      dueDateBefore: plan.dueDateBefore,
      dueDate: plan.dueDate,
    });
    if (plan.dueDateMoved && plan.dueDateBefore !== null && plan.dueDate !== null) {
      await tellRequester(deps, stored, plan.dueDateBefore, plan.dueDate);
    }
    return 'changed';
  },
} satisfies SweepJob;
