/**
 * The sweep job that enforces reply timers (domain/timers): reminders to the
 * handler, the breach (flag, audit event, `DeadlineBreaches` metric, mail to
 * supervisors), the acknowledgement of receipt and the explanation of a
 * postponement. Decided on the index copy, decided again on a consistent read,
 * written with the request's optimistic lock, and mailed only after the write
 * won: a second sweep (or a concurrent one) finds the kinds recorded and sends
 * nothing again. A mail that fails after the write is not retried (the
 * reminder is at most once); it is logged, counted and put on the trail.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sendMail } from '../../adapters/aws/mailer';
import { getRequest, listAuditEvents, mutateRequest, saveRequest } from '../../adapters/aws/request-store';
import { logger, metrics, requiredEnv } from '../../adapters/aws/runtime';
import { getPolicy } from '../../domain/policy/registry';
import {
  needsTrail,
  noticesOnTrail,
  planTimerActions,
  type StaffAddresses,
  SWEEPER,
  type TimerMail,
} from '../../domain/timers/timer-actions';
import { dueTimerEvents } from '../../domain/timers/timer-events';
import type { SweepJob } from './sweep-requests';

/** Must match DEADLINE_BREACHES_METRIC, which the operators' alarm watches (infra/constructs/observability). */
export const DEADLINE_BREACHES_METRIC = 'DeadlineBreaches';

/** Read when needed, before anything is written: a missing address must fail before a kind is recorded. */
function staffAddresses(): StaffAddresses {
  return {
    team: requiredEnv('CONSOLE_TEAM_ADDRESS'),
    supervisors: requiredEnv('CONSOLE_SUPERVISORS_ADDRESS'),
  };
}

async function deliver(requestId: string, mail: TimerMail): Promise<void> {
  try {
    await sendMail({ to: mail.to, ...mail.notice, messageId: mail.messageId });
    metrics.addMetric('TimerMailSent', MetricUnit.Count, 1);
  } catch (error) {
    const errorName = error instanceof Error ? error.name : 'UnknownError';
    logger.error('Timer mail not sent', { requestId, kind: mail.kind, errorName });
    metrics.addMetric('NotificationFailed', MetricUnit.Count, 1);
    await mutateRequest(requestId, (current) => ({
      next: current,
      events: [
        {
          type: 'notification-failed',
          actor: SWEEPER,
          at: new Date().toISOString(),
          details: { notice: mail.purpose, kind: mail.kind, errorName },
        },
      ],
    })).catch((saveError: unknown) => {
      logger.error('Timer mail failure not recorded on the trail', {
        requestId,
        errorName: saveError instanceof Error ? saveError.name : 'UnknownError',
      });
    });
  }
}

export const enforceDeadlineTimers: SweepJob = {
  name: 'deadline-timers',
  async run(candidate, now, calendars) {
    if (dueTimerEvents(getPolicy(candidate.policyId), candidate, now, calendars).length === 0)
      return 'unchanged';
    const addresses = staffAddresses();
    const record = await getRequest(candidate.requestId);
    const policy = getPolicy(record.policyId);
    const due = dueTimerEvents(policy, record, now, calendars);
    if (due.length === 0) return 'unchanged';
    const trail = needsTrail(due) ? noticesOnTrail(await listAuditEvents(record.requestId)) : {};
    const plan = planTimerActions({ policy, record, due, trail, addresses, now });
    await saveRequest(record, plan.next, plan.events);

    if (plan.breached) {
      metrics.addMetric(DEADLINE_BREACHES_METRIC, MetricUnit.Count, 1);
      logger.warn('Reply deadline breached', { requestId: record.requestId, policy: policy.id });
    }
    if (plan.acknowledgedLate) metrics.addMetric('AcknowledgementLate', MetricUnit.Count, 1);
    for (const mail of plan.mails) await deliver(record.requestId, mail);
    logger.info('Timer events handled', {
      requestId: record.requestId,
      kinds: due.map((event) => event.kind),
      mails: plan.mails.length,
    });
    return 'changed';
  },
};
