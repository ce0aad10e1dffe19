/**
 * Why a console action was not taken, one class per reason. Each says in its
 * message what was wrong and what would be right; `field` names the input at
 * fault where there is one. The console API maps them to HTTP by name
 * (adapters/lambda/console-errors.ts), so domain code never knows about HTTP.
 */
import type { RequestStatus } from '../lifecycle';

/** A value the caller gave that the request's policy or state cannot take. */
abstract class ConsoleInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** The request is in a state in which this action makes no sense (beyond the transition table). */
abstract class ConsoleStateError extends Error {}

export class RequestNotAwaitingTriage extends ConsoleStateError {
  override readonly name = 'RequestNotAwaitingTriage' as const;
  constructor() {
    super('This request already has a type; only requests that need triage can be triaged');
  }
}

export class RequestNotTriaged extends ConsoleStateError {
  override readonly name = 'RequestNotTriaged' as const;
  constructor() {
    super('This request has no type yet: triage it first');
  }
}

export class RequestTypeNotOffered extends ConsoleInputError {
  override readonly name = 'RequestTypeNotOffered' as const;
  constructor(type: string, policyId: string, offered: readonly string[]) {
    super(`Policy '${policyId}' does not offer '${type}'; it offers ${offered.join(', ')}`, 'type');
  }
}

export class PortabilityTargetRequired extends ConsoleInputError {
  override readonly name = 'PortabilityTargetRequired' as const;
  constructor() {
    super('A portability request needs the recipient (portabilityTarget)', 'portabilityTarget');
  }
}

export class InvalidDuplicateTarget extends ConsoleInputError {
  override readonly name = 'InvalidDuplicateTarget' as const;
  constructor(reason: string) {
    super(reason, 'into');
  }
}

export class IdentityMethodNotAllowed extends ConsoleInputError {
  override readonly name = 'IdentityMethodNotAllowed' as const;
  constructor(method: string, policyId: string, allowed: readonly string[]) {
    super(
      `Policy '${policyId}' does not verify identity by '${method}'; it uses ${allowed.join(', ')}`,
      'method',
    );
  }
}

export class EvidenceNotOnRequest extends ConsoleInputError {
  override readonly name = 'EvidenceNotOnRequest' as const;
  constructor(available: readonly string[]) {
    super(
      available.length === 0
        ? 'This request has no documents in the evidence bucket to review'
        : `evidenceKey must be one of the request's documents: ${available.join(', ')}`,
      'evidenceKey',
    );
  }
}

export class EvidenceRequired extends ConsoleInputError {
  override readonly name = 'EvidenceRequired' as const;
  constructor() {
    super('An identity document check must name the document reviewed (evidenceKey)', 'evidenceKey');
  }
}

export class IdentifierNotOnRequest extends ConsoleInputError {
  override readonly name = 'IdentifierNotOnRequest' as const;
  constructor(kind: string) {
    super(`The request has no ${kind} identifier to verify`, 'identifiers');
  }
}

export class IdentityAlreadyVerified extends ConsoleStateError {
  override readonly name = 'IdentityAlreadyVerified' as const;
  constructor(status: RequestStatus) {
    super(`The requester's identity is already settled (status ${status})`);
  }
}

export class NotAwaitingRequester extends ConsoleStateError {
  override readonly name = 'NotAwaitingRequester' as const;
  constructor(status: RequestStatus) {
    super(`The request is ${status}, not awaiting the requester, so there is nothing to resume`);
  }
}

export class ResumeFirst extends ConsoleStateError {
  override readonly name = 'ResumeFirst' as const;
  constructor() {
    super('The request is awaiting the requester: resume it before extending its deadline');
  }
}

export class ApprovalNotRequired extends ConsoleStateError {
  override readonly name = 'ApprovalNotRequired' as const;
  constructor(type: string, policyId: string) {
    super(`Policy '${policyId}' needs no approval before fulfilling a '${type}' request`);
  }
}

export class AlreadyApproved extends ConsoleStateError {
  override readonly name = 'AlreadyApproved' as const;
  constructor(by: string) {
    super(`Fulfilment of this request was already approved by ${by}`);
  }
}

/** Right route, wrong role for this particular request: answered 403. */
export class SupervisorRequired extends Error {
  override readonly name = 'SupervisorRequired' as const;
  constructor(what: string) {
    super(`Only a supervisor may ${what}`);
  }
}

export class OfflineCheckRequired extends ConsoleInputError {
  override readonly name = 'OfflineCheckRequired' as const;
  constructor(policyId: string) {
    super(
      `Policy '${policyId}' deletes real-name data only after an offline identity check and an explanation of the risks: give offlineCheck`,
      'offlineCheck',
    );
  }
}

export class RefusalGroundNotInPolicy extends ConsoleInputError {
  override readonly name = 'RefusalGroundNotInPolicy' as const;
  constructor(ground: string, policyId: string, grounds: readonly string[]) {
    super(
      `Policy '${policyId}' has no refusal ground '${ground}'; its grounds: ${grounds.join(', ')}`,
      'ground',
    );
  }
}

export class ExtensionReasonRequired extends ConsoleInputError {
  override readonly name = 'ExtensionReasonRequired' as const;
  constructor(policyId: string) {
    super(`Policy '${policyId}' requires the reason for an extension to be given to the requester`, 'reason');
  }
}

export class ExtensionCapReached extends ConsoleStateError {
  override readonly name = 'ExtensionCapReached' as const;
  constructor(policyId: string, total: number, maxTotal: number, unit: string) {
    super(
      `Policy '${policyId}' caps the reply period at ${maxTotal} ${unit}; this request already has ${total}, and a further extension would exceed the cap`,
    );
  }
}

export class RequestClosed extends ConsoleStateError {
  override readonly name = 'RequestClosed' as const;
  constructor(status: RequestStatus) {
    super(`The request is closed (${status})`);
  }
}

export class NoteLimitReached extends ConsoleStateError {
  override readonly name = 'NoteLimitReached' as const;
  constructor(limit: number) {
    super(`A request keeps at most ${limit} notes`);
  }
}

export class FeeNotAllowed extends ConsoleInputError {
  override readonly name = 'FeeNotAllowed' as const;
  constructor(reason: string) {
    super(reason, 'chargeFee');
  }
}
