/**
 * Why a console action was not taken, one class per reason. Each says in its
 * message what was wrong and what would be right; `field` names the input at
 * fault where there is one. Each extends its kind (domain/errors.ts): InvalidInput
 * (400), Conflict (409: the request's state or policy forbids it now) or
 * Forbidden (403); the API maps kinds to HTTP, so domain code never knows about HTTP.
 */
import { Conflict, Forbidden, InvalidInput } from '../errors';
import type { RequestStatus } from '../lifecycle';

export class RequestNotAwaitingTriage extends Conflict {
  override readonly name = 'RequestNotAwaitingTriage' as const;
  readonly code = 'not-awaiting-triage';
  constructor() {
    super('This request already has a type; only requests that need triage can be triaged');
  }
}

export class RequestNotTriaged extends Conflict {
  override readonly name = 'RequestNotTriaged' as const;
  readonly code = 'not-triaged';
  constructor() {
    super('This request has no type yet: triage it first');
  }
}

export class RequestTypeNotOffered extends InvalidInput {
  override readonly name = 'RequestTypeNotOffered' as const;
  readonly code = 'type-not-offered';
  constructor(type: string, policyId: string, offered: readonly string[]) {
    super(`Policy '${policyId}' does not offer '${type}'; it offers ${offered.join(', ')}`, {
      field: 'type',
    });
  }
}

export class PortabilityTargetRequired extends InvalidInput {
  override readonly name = 'PortabilityTargetRequired' as const;
  readonly code = 'portability-target-required';
  constructor() {
    super('A portability request needs the recipient (portabilityTarget)', { field: 'portabilityTarget' });
  }
}

export class InvalidDuplicateTarget extends InvalidInput {
  override readonly name = 'InvalidDuplicateTarget' as const;
  readonly code = 'invalid-duplicate-target';
  constructor(reason: string) {
    super(reason, { field: 'into' });
  }
}

export class IdentityMethodNotAllowed extends InvalidInput {
  override readonly name = 'IdentityMethodNotAllowed' as const;
  readonly code = 'identity-method-not-allowed';
  constructor(method: string, policyId: string, allowed: readonly string[]) {
    super(`Policy '${policyId}' does not verify identity by '${method}'; it uses ${allowed.join(', ')}`, {
      field: 'method',
    });
  }
}

export class EvidenceNotOnRequest extends InvalidInput {
  override readonly name = 'EvidenceNotOnRequest' as const;
  readonly code = 'evidence-not-on-request';
  constructor(available: readonly string[]) {
    super(
      available.length === 0
        ? 'This request has no documents in the evidence bucket to review'
        : `evidenceKey must be one of the request's documents: ${available.join(', ')}`,
      { field: 'evidenceKey' },
    );
  }
}

export class EvidenceRequired extends InvalidInput {
  override readonly name = 'EvidenceRequired' as const;
  readonly code = 'evidence-required';
  constructor() {
    super('An identity document check must name the document reviewed (evidenceKey)', {
      field: 'evidenceKey',
    });
  }
}

export class IdentifierNotOnRequest extends InvalidInput {
  override readonly name = 'IdentifierNotOnRequest' as const;
  readonly code = 'identifier-not-on-request';
  constructor(kind: string) {
    super(`The request has no ${kind} identifier to verify`, { field: 'identifiers' });
  }
}

/** An identity approval that names no identifier: which ones the check proved is the agent's to say. */
export class IdentifiersRequired extends InvalidInput {
  override readonly name = 'IdentifiersRequired' as const;
  readonly code = 'identifiers-required';
  constructor() {
    super('Name the identifiers the check verified (at least one of those on the request)', {
      field: 'identifiers',
    });
  }
}

export class IdentityAlreadyVerified extends Conflict {
  override readonly name = 'IdentityAlreadyVerified' as const;
  readonly code = 'identity-already-settled';
  constructor(status: RequestStatus) {
    super(`The requester's identity is already settled (status ${status})`);
  }
}

export class NotAwaitingRequester extends Conflict {
  override readonly name = 'NotAwaitingRequester' as const;
  readonly code = 'not-awaiting-requester';
  constructor(status: RequestStatus) {
    super(`The request is ${status}, not awaiting the requester, so there is nothing to resume`);
  }
}

export class ResumeFirst extends Conflict {
  override readonly name = 'ResumeFirst' as const;
  readonly code = 'resume-first';
  constructor() {
    super('The request is awaiting the requester: resume it before extending its deadline');
  }
}

export class ApprovalNotRequired extends Conflict {
  override readonly name = 'ApprovalNotRequired' as const;
  readonly code = 'approval-not-required';
  constructor(type: string, policyId: string) {
    super(`Policy '${policyId}' needs no approval before fulfilling a '${type}' request`);
  }
}

export class AlreadyApproved extends Conflict {
  override readonly name = 'AlreadyApproved' as const;
  readonly code = 'already-approved';
  constructor(by: string) {
    super(`Fulfilment of this request was already approved by ${by}`);
  }
}

/** Right route, wrong role for this particular request: answered 403. */
export class SupervisorRequired extends Forbidden {
  override readonly name = 'SupervisorRequired' as const;
  readonly code = 'supervisor-required';
  constructor(what: string) {
    super(`Only a supervisor may ${what}`);
  }
}

/** Which separation-of-duties rule an action broke (domain/console/approval.ts), as the problem code. */
export type SeparationRule =
  | 'approver-took-request'
  | 'approver-checked-identity'
  | 'identity-checker-approved';

const SEPARATION_MESSAGES: Readonly<Record<SeparationRule, string>> = {
  'approver-took-request':
    'You took this request in the console: another console user must approve its fulfilment (four eyes)',
  'approver-checked-identity':
    "You checked this requester's identity: another console user must approve its fulfilment",
  'identity-checker-approved':
    "You approved this request's fulfilment: another console user must check the requester's identity",
};

/**
 * One user in two parts that must be different people (the taker, the identity checker, the approver):
 * answered 403, the code naming the rule.
 */
export class SeparationOfDuties extends Forbidden {
  override readonly name = 'SeparationOfDuties' as const;
  readonly code: SeparationRule;
  constructor(rule: SeparationRule) {
    super(SEPARATION_MESSAGES[rule]);
    this.code = rule;
  }
}

export class OfflineCheckRequired extends InvalidInput {
  override readonly name = 'OfflineCheckRequired' as const;
  readonly code = 'offline-check-required';
  constructor(policyId: string) {
    super(
      `Policy '${policyId}' deletes real-name data only after an offline identity check and an explanation of the risks: give offlineCheck`,
      { field: 'offlineCheck' },
    );
  }
}

export class RefusalGroundNotInPolicy extends InvalidInput {
  override readonly name = 'RefusalGroundNotInPolicy' as const;
  readonly code = 'refusal-ground-not-in-policy';
  constructor(ground: string, policyId: string, grounds: readonly string[]) {
    super(`Policy '${policyId}' has no refusal ground '${ground}'; its grounds: ${grounds.join(', ')}`, {
      field: 'ground',
    });
  }
}

export class ExtensionReasonRequired extends InvalidInput {
  override readonly name = 'ExtensionReasonRequired' as const;
  readonly code = 'extension-reason-required';
  constructor(policyId: string) {
    super(`Policy '${policyId}' requires the reason for an extension to be given to the requester`, {
      field: 'reason',
    });
  }
}

export class ExtensionCapReached extends Conflict {
  override readonly name = 'ExtensionCapReached' as const;
  readonly code = 'extension-cap-reached';
  constructor(policyId: string, total: number, maxTotal: number, unit: string) {
    super(
      `Policy '${policyId}' caps the reply period at ${maxTotal} ${unit}; this request already has ${total}, and a further extension would exceed the cap`,
    );
  }
}

export class RequestClosed extends Conflict {
  override readonly name = 'RequestClosed' as const;
  readonly code = 'request-closed';
  constructor(status: RequestStatus) {
    super(`The request is closed (${status})`);
  }
}

export class NoteLimitReached extends Conflict {
  override readonly name = 'NoteLimitReached' as const;
  readonly code = 'note-limit-reached';
  constructor(limit: number) {
    super(`A request keeps at most ${limit} notes`);
  }
}

export class FeeNotAllowed extends Conflict {
  override readonly name = 'FeeNotAllowed' as const;
  readonly code = 'fee-not-allowed';
  constructor(reason: string) {
    super(reason, { field: 'chargeFee' });
  }
}
