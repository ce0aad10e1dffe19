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

import { DEADLINE_BREACHES_METRIC } from '../../definitions/metrics';
import { getPolicy } from '../../domain/policy/registry';
import {
  needsTrail,
  noticesOnTrail,
  planTimerActions,
  SWEEPER,
  type TimerMail,
} from '../../domain/timers/timer-actions';
import { dueTimerEvents } from '../../domain/timers/timer-events';
import { errorNameOf, type SweepJob, type SweepJobDeps } from './sweep-job';

type DeliverDeps = Pick<SweepJobDeps, 'requests' | 'mailer' | 'telemetry' | 'clock'>;

async function deliver(deps: DeliverDeps, requestId: string, mail: TimerMail): Promise<void> {
  try {
    await deps.mailer.send({ to: mail.to, ...mail.notice, messageId: mail.messageId });
    deps.telemetry.count('TimerMailSent');
  } catch (error) {
    const errorName = errorNameOf(error);
    deps.telemetry.error('Timer mail not sent', { requestId, kind: mail.kind, errorName });
    deps.telemetry.count('NotificationFailed');
    await deps.requests
      .mutate(requestId, (current) => ({
        next: current,
        events: [
          {
            type: 'notification-failed',
            actor: SWEEPER,
            at: deps.clock.now().toISOString(),
            details: { notice: mail.purpose, kind: mail.kind, errorName },
          },
        ],
      }))
      .catch((saveError: unknown) => {
        deps.telemetry.error('Timer mail failure not recorded on the trail', {
          requestId,
          errorName: errorNameOf(saveError),
        });
      });
  }
}

export const enforceDeadlineTimers = {
  name: 'deadline-timers',
  async run(deps, candidate, { now, calendars }) {
    if (dueTimerEvents(getPolicy(candidate.policyId), candidate, now, calendars).length === 0)
      return 'unchanged';
    // Asked before anything is written: a missing address must fail before a kind is recorded.
    const addresses = deps.staff.addresses();
    const record = await deps.requests.get(candidate.requestId);
    const policy = getPolicy(record.policyId);
    const due = dueTimerEvents(policy, record, now, calendars);
    if (due.length === 0) return 'unchanged';
    const trail = needsTrail(due) ? noticesOnTrail(await deps.requests.trail(record.requestId)) : {};
    const plan = planTimerActions({ policy, record, due, trail, addresses, now });
    await deps.requests.save(record, plan.next, plan.events);

    if (plan.breached) {
      deps.telemetry.count(DEADLINE_BREACHES_METRIC);
      deps.telemetry.warn('Reply deadline breached', { requestId: record.requestId, policy: policy.id });
    }
    if (plan.acknowledgedLate) deps.telemetry.count('AcknowledgementLate');
    for (const mail of plan.mails) await deliver(deps, record.requestId, mail);
    deps.telemetry.info('Timer events handled', {
      requestId: record.requestId,
      kinds: due.map((event) => event.kind),
      mails: plan.mails.length,
    });
    return 'changed';
  },
} satisfies SweepJob;
