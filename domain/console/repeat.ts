/**
 * Repeat requests: the profile says how many requests of one type a subject
 * may make free of charge in a period (`repeatRequests`), and whether those
 * beyond may be charged for or refused. Where the law sets no number
 * (`freePerPeriod: null`, GDPR art. 12(5)), only a request the agent judges
 * manifestly excessive may be. The agent flags the request; the rule decides
 * what is allowed; the agent's fee decision is recorded within it.
 */
import { addCalendarMonthsClamped, compareDates } from '../clock';
import { receivedOnFor } from '../deadline';
import { isOpen, type RequestStatus } from '../lifecycle';
import type { PolicyProfile } from '../policy/schema';
import type { RequestType } from '../request';
import type { RequestRecord } from '../request-record';
import type { ActionContext, RecordChange } from './action';
import type { RepeatDecision } from './case-records';
import { FeeNotAllowed, RequestClosed, RequestNotTriaged } from './errors';

/** An earlier request of the same subject, as found through the bySubject index. */
export interface EarlierRequest {
  readonly requestId: string;
  readonly type?: RequestType;
  readonly status: RequestStatus;
  /** ISO-8601 instant. */
  readonly receivedAt: string;
}

export type RepeatAssessment = Pick<
  RepeatDecision,
  'earlierInPeriod' | 'periodMonths' | 'freePerPeriod' | 'beyondFreeLimit' | 'feeAllowed' | 'refusalAllowed'
>;

/**
 * Counts the subject's earlier requests of the same type received in the
 * `periodMonths` calendar months up to this one (by receipt day in the
 * policy's zone). Requests closed as cancelled (withdrawn or duplicates) do
 * not count: they were never answered.
 */
export function assessRepeat(
  record: RequestRecord,
  policy: PolicyProfile,
  earlier: readonly EarlierRequest[],
  manifestlyExcessive: boolean,
): RepeatAssessment {
  const rule = policy.repeatRequests;
  const receivedOn = receivedOnFor(policy, new Date(record.receivedAt));
  const periodStart = addCalendarMonthsClamped(receivedOn, -rule.periodMonths);
  const earlierInPeriod = earlier.filter(
    (other) =>
      other.requestId !== record.requestId &&
      other.type === record.type &&
      other.status !== 'cancelled' &&
      other.receivedAt < record.receivedAt &&
      compareDates(receivedOnFor(policy, new Date(other.receivedAt)), periodStart) > 0,
  ).length;
  const beyondFreeLimit =
    rule.freePerPeriod === null
      ? manifestlyExcessive
      : earlierInPeriod >= rule.freePerPeriod || manifestlyExcessive;
  return {
    earlierInPeriod,
    periodMonths: rule.periodMonths,
    freePerPeriod: rule.freePerPeriod,
    beyondFreeLimit,
    feeAllowed: beyondFreeLimit && rule.feeBeyondLimit,
    refusalAllowed: beyondFreeLimit && rule.mayRefuseExcessive,
  };
}

export interface RepeatInput {
  /** The agent judges the request manifestly unfounded or excessive, whatever the count. */
  readonly manifestlyExcessive: boolean;
  readonly chargeFee: boolean;
  readonly feeNote?: string;
}

export function flagRepeat(
  record: RequestRecord,
  policy: PolicyProfile,
  earlier: readonly EarlierRequest[],
  input: RepeatInput,
  context: ActionContext,
): RecordChange {
  const { actor, at } = context;
  if (!isOpen(record.status)) throw new RequestClosed(record.status);
  if (record.type === undefined) throw new RequestNotTriaged();
  const assessment = assessRepeat(record, policy, earlier, input.manifestlyExcessive);
  if (input.chargeFee && !assessment.feeAllowed) {
    throw new FeeNotAllowed(
      assessment.beyondFreeLimit
        ? `Policy '${policy.id}' charges no fee, even for repeated requests: ${policy.repeatRequests.text}`
        : `This is request ${assessment.earlierInPeriod + 1} of its type in ${assessment.periodMonths} months; policy '${policy.id}' keeps ${policy.repeatRequests.freePerPeriod ?? 'every reasonable request'} free`,
    );
  }
  const decision: RepeatDecision = {
    ...assessment,
    feeCharged: input.chargeFee,
    ...(input.feeNote ? { feeNote: input.feeNote } : {}),
    by: actor.id,
    at,
  };
  return {
    next: { ...record, repeat: decision },
    events: [{ type: 'repeat-flagged', actor, at, details: { ...assessment, feeCharged: input.chargeFee } }],
  };
}
