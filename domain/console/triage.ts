/**
 * Triage of requests the email classifier could not type: an agent sets the
 * type, or closes the request as a duplicate of another (cancelled with the
 * reason, both trails linked).
 */
import { isOpen, planTransition } from '../lifecycle';
import type { PolicyProfile } from '../policy/schema';
import type { RequestType } from '../request';
import type { RequestRecord } from '../request-record';
import type { ActionContext, RecordChange } from './action';
import {
  InvalidDuplicateTarget,
  PortabilityTargetRequired,
  RequestClosed,
  RequestNotAwaitingTriage,
  RequestTypeNotOffered,
} from './errors';
import { withoutPause } from './pause';

export interface SetTypeInput {
  readonly type: RequestType;
  readonly portabilityTarget?: RequestRecord['portabilityTarget'];
}

export function setRequestType(
  record: RequestRecord,
  policy: PolicyProfile,
  input: SetTypeInput,
  context: ActionContext,
): RecordChange {
  const { actor, at } = context;
  if (!record.needsTriage) throw new RequestNotAwaitingTriage();
  if (!isOpen(record.status)) throw new RequestClosed(record.status);
  if (!policy.rightsOffered.includes(input.type)) {
    throw new RequestTypeNotOffered(input.type, policy.id, policy.rightsOffered);
  }
  const portabilityTarget = input.portabilityTarget ?? record.portabilityTarget;
  if (input.type === 'portability' && portabilityTarget === undefined) throw new PortabilityTargetRequired();
  const { triageCandidates, ...rest } = record;
  return {
    next: {
      ...rest,
      type: input.type,
      needsTriage: false,
      ...(portabilityTarget ? { portabilityTarget } : {}),
    },
    events: [
      {
        type: 'triaged',
        actor,
        at,
        details: { action: 'set-type', type: input.type, candidates: triageCandidates ?? [] },
      },
    ],
  };
}

/** Closes `record` as a duplicate of `original`: cancelled, with the link on its trail. */
export function closeAsDuplicate(
  record: RequestRecord,
  original: RequestRecord,
  context: ActionContext,
): RecordChange {
  const { actor, at } = context;
  if (original.requestId === record.requestId) {
    throw new InvalidDuplicateTarget('A request cannot be a duplicate of itself');
  }
  if (original.duplicateOf !== undefined) {
    throw new InvalidDuplicateTarget(
      `${original.requestId} is itself a duplicate of ${original.duplicateOf}: merge into ${original.duplicateOf}`,
    );
  }
  const statusChange = planTransition(record.status, {
    to: 'cancelled',
    actor,
    at,
    reason: `duplicate of ${original.requestId}`,
  });
  return {
    next: { ...withoutPause(record), status: 'cancelled', duplicateOf: original.requestId },
    events: [
      statusChange,
      { type: 'triaged', actor, at, details: { action: 'merged-into', into: original.requestId } },
    ],
  };
}

/** The original's side of a merge: nothing changes but its trail, which now names the duplicate. */
export function recordDuplicateMerged(
  original: RequestRecord,
  duplicateId: string,
  context: ActionContext,
): RecordChange {
  const { actor, at } = context;
  return {
    next: original,
    events: [{ type: 'triaged', actor, at, details: { action: 'duplicate-merged', duplicate: duplicateId } }],
  };
}
