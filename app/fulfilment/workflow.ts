/**
 * What every fulfilment task shares: its input (a request id, never PII: Step Functions keeps every
 * input and output in the execution history), the actor it records, and the identifiers it may use.
 */
import type { SubjectIdentity } from '../../connectors/contract';
import type { RequestRecord } from '../../domain/request-record';

export interface TaskInput {
  readonly requestId: string;
}

export const workflowActor = { kind: 'system', id: 'fulfilment-workflow' } as const;

/**
 * The identifiers fulfilment may use: those verified, plus those resolved from
 * verified ones. An unverified identifier is never used to find data (Fides #2451).
 */
export function verifiedIdentity(record: RequestRecord): SubjectIdentity {
  const identity: Record<string, string> = {};
  for (const identifier of record.identifiers) {
    if (identifier.verified) identity[identifier.kind] = identifier.value;
  }
  return { ...identity, ...(record.fulfilment?.resolvedIdentifiers ?? {}) };
}

/** The requester's verified email address, where notices go. */
export function verifiedEmail(record: RequestRecord) {
  return record.identifiers.find((identifier) => identifier.kind === 'email' && identifier.verified);
}

/** The verified phone number: where a link goes by SMS when no email is verified. */
export function verifiedPhone(record: RequestRecord) {
  return record.identifiers.find((identifier) => identifier.kind === 'phone' && identifier.verified);
}
