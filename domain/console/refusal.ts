/**
 * Refusing a request: only on a ground the request's policy lists, always
 * with a reason the requester is told together with the ground and how to
 * complain (see `refusalNotice` in domain/notices.ts).
 */
import { planTransition } from '../lifecycle';
import { type Notice, refusalNotice } from '../notices';
import { REFUSAL_GROUNDS, type RefusalGround, type RefusalGroundId } from '../policy/refusal-grounds';
import type { PolicyProfile } from '../policy/schema';
import type { RequestRecord } from '../request-record';
import type { ActionContext, RecordChange } from './action';
import { RefusalGroundNotInPolicy } from './errors';
import { withoutPause } from './pause';

export interface RefusalInput {
  readonly ground: string;
  /** Why the ground applies to this request, in words the requester will read. */
  readonly reason: string;
}

/** The ground with this id, if the policy lists it; throws RefusalGroundNotInPolicy otherwise. */
export function policyRefusalGround(policy: PolicyProfile, ground: string): RefusalGround {
  const listed = (policy.refusalGrounds as readonly string[]).includes(ground);
  const found = REFUSAL_GROUNDS.find((candidate) => candidate.id === ground);
  if (!listed || !found) throw new RefusalGroundNotInPolicy(ground, policy.id, policy.refusalGrounds);
  return found;
}

/**
 * The notice that tells the requester of a refusal: the policy's ground in
 * both languages, the reason, and where the policy's regime lets them complain.
 */
export function policyRefusalNotice(requestId: string, policy: PolicyProfile, input: RefusalInput): Notice {
  return refusalNotice({
    requestId,
    ground: policyRefusalGround(policy, input.ground),
    reason: input.reason,
    regime: policy.regime,
    organisation: policy.organisation,
  });
}

export function refuseRequest(
  record: RequestRecord,
  policy: PolicyProfile,
  input: RefusalInput,
  context: ActionContext,
): RecordChange {
  const { actor, at } = context;
  const ground = policyRefusalGround(policy, input.ground);
  // The reason stays on the request (erased with it); the trail records the ground, which is what the law asks.
  const statusChange = planTransition(record.status, { to: 'refused', actor, at, refusalGround: ground.id });
  return {
    next: {
      ...withoutPause(record),
      status: 'refused',
      refusal: { ground: ground.id as RefusalGroundId, reason: input.reason, by: actor.id, at },
    },
    events: [statusChange],
  };
}
