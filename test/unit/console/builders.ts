/** Builders of stored requests for the console's domain tests: consistent with their policy's clock. */

import type { PlainDate } from '../../../domain/clock';
import type { ActionContext } from '../../../domain/console/action';
import type { RequestStatus } from '../../../domain/lifecycle';
import { getPolicy } from '../../../domain/policy/registry';
import type { RequestType } from '../../../domain/request';
import { requestClock } from '../../../domain/request-clock';
import { dueSortKey, type RequestRecord, type SubjectIdentifier } from '../../../domain/request-record';

export const EMAIL: SubjectIdentifier = {
  kind: 'email',
  value: 'li.lei@example.com',
  key: 'email#key-of-li-lei',
  masked: 'l***i@example.com',
  verified: false,
};

export const PHONE: SubjectIdentifier = {
  kind: 'phone',
  value: '+8613800138000',
  key: 'phone#key-of-li-lei',
  masked: '+86138****8000',
  verified: false,
};

export interface RequestOptions {
  readonly policyId?: string;
  readonly type?: RequestType;
  readonly status?: RequestStatus;
  /** ISO instant; 09:00 in Shanghai on 2025-03-03 (a Monday) unless given. */
  readonly receivedAt?: string;
  readonly verifiedOn?: PlainDate;
  readonly identifiers?: readonly SubjectIdentifier[];
  readonly extras?: Partial<RequestRecord>;
}

/** A stored request with its deadline computed from its own facts, as intake would store it. */
export function aRequest(options: RequestOptions = {}): RequestRecord {
  const policy = getPolicy(options.policyId ?? 'pipl-default');
  const receivedAt = options.receivedAt ?? '2025-03-03T01:00:00.000Z';
  const extras = options.extras ?? {};
  const { deadline } = requestClock(policy, {
    receivedAt,
    ...(options.verifiedOn ? { verifiedOn: options.verifiedOn } : {}),
    extended: extras.extended ?? false,
    pausedUnits: extras.pausedUnits ?? 0,
  });
  const requestId = 'dsr-00000000-0000-4000-8000-000000000001';
  return {
    requestId,
    policyId: policy.id,
    type: options.type ?? 'access',
    needsTriage: false,
    channel: 'web',
    status: options.status ?? 'verified',
    requester: { role: 'self' },
    identifiers: options.identifiers ?? [{ ...EMAIL, verified: true, verifiedBy: 'email-code' }],
    subjectKey: EMAIL.key,
    locale: 'en',
    receivedAt,
    deadline,
    ...(options.verifiedOn ? { verifiedOn: options.verifiedOn } : {}),
    statusTokenHash: 'hash',
    pausedUnits: 0,
    extended: false,
    openShard: 'OPEN',
    dueSortKey: dueSortKey(requestId, deadline.dueDate),
    lastSeq: 1,
    lastHash: 'a'.repeat(64),
    version: 1,
    ...extras,
  };
}

export function contextOn(today: PlainDate, agent = 'alice'): ActionContext {
  return { actor: { kind: 'agent', id: agent }, at: `${today}T02:00:00.000Z`, today };
}
