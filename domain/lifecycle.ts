/**
 * The request lifecycle: an explicit status transition table (after ethyca/fides'
 * privacy-request lifecycle) and the one function that moves a request between
 * statuses. Pure: time and actor come in as arguments.
 */
import { z } from 'zod';
import { Conflict, InvalidInput } from './errors';

export const REQUEST_STATUSES = [
  'received', // logged, nothing checked yet
  'pending-verification', // waiting for the requester to prove who they are
  'verified', // identity established; fulfilment may start
  'in-progress', // fulfilment running
  'needs-attention', // the workflow stopped (a step failed for good, or no execution runs it): a person redrives it
  'awaiting-requester', // we asked the requester for more; the clock pauses where the policy allows
  'extended', // in progress under an extended deadline (notice sent)
  'fulfilled', // every store done
  'partially-fulfilled', // some stores done, the rest recorded with reasons
  'refused', // refused on a statutory ground
  'cancelled', // withdrawn by the requester or closed as a duplicate
  'expired-unverified', // never verified within the policy's window
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const RequestStatusSchema = z.enum(REQUEST_STATUSES);

/** Statuses after which nothing more happens to a request (partially-fulfilled may still be redriven). */
export const TERMINAL_STATUSES: readonly RequestStatus[] = [
  'fulfilled',
  'refused',
  'cancelled',
  'expired-unverified',
];

/** Statuses in which the reply clock is running and the request counts as open. */
export const OPEN_STATUSES: readonly RequestStatus[] = REQUEST_STATUSES.filter(
  (status) => !TERMINAL_STATUSES.includes(status) && status !== 'partially-fulfilled',
);

/**
 * Every legal move. Anything not listed is illegal. Refusal and cancellation
 * are possible from every open status; nothing leaves a terminal status.
 */
export const TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  received: ['pending-verification', 'verified', 'refused', 'cancelled'],
  'pending-verification': ['verified', 'awaiting-requester', 'expired-unverified', 'refused', 'cancelled'],
  verified: ['in-progress', 'needs-attention', 'awaiting-requester', 'extended', 'refused', 'cancelled'],
  // A redrive returns the request to the status it had when its workflow stopped.
  'needs-attention': ['verified', 'in-progress', 'extended', 'awaiting-requester', 'refused', 'cancelled'],
  'in-progress': [
    'needs-attention',
    'fulfilled',
    'partially-fulfilled',
    'awaiting-requester',
    'extended',
    'refused',
    'cancelled',
  ],
  // Resuming returns the request to where work stands; verification may still be outstanding.
  'awaiting-requester': [
    'pending-verification',
    'verified',
    'in-progress',
    'extended',
    'refused',
    'cancelled',
  ],
  extended: [
    'in-progress',
    'needs-attention',
    'fulfilled',
    'partially-fulfilled',
    'awaiting-requester',
    'refused',
    'cancelled',
  ],
  // A redrive of the failed stores re-opens a partially fulfilled request.
  'partially-fulfilled': ['in-progress', 'fulfilled'],
  fulfilled: [],
  refused: [],
  cancelled: [],
  'expired-unverified': [],
};

export type ActorKind = 'requester' | 'agent' | 'system';

/** Who caused a change. `id` is an agent's user name or a system component, never the subject's PII. */
export interface Actor {
  readonly kind: ActorKind;
  readonly id: string;
}

export interface TransitionInput {
  readonly to: RequestStatus;
  readonly actor: Actor;
  /** ISO-8601 instant, supplied by the caller: domain code never reads the clock. */
  readonly at: string;
  readonly reason?: string;
  /** Required when `to` is `refused`: the statutory ground relied on. */
  readonly refusalGround?: string;
}

export class IllegalTransition extends Conflict {
  override readonly name = 'IllegalTransition' as const;
  readonly code = 'illegal-transition';
  constructor(
    readonly from: RequestStatus,
    readonly to: RequestStatus,
  ) {
    super(`A request cannot move from ${from} to ${to}`);
  }
}

export class RefusalGroundRequired extends InvalidInput {
  override readonly name = 'RefusalGroundRequired' as const;
  readonly code = 'refusal-ground-required';
  constructor() {
    super('A refusal must name the statutory ground it relies on');
  }
}

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isOpen(status: RequestStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** The audit event of a status change, ready to be appended to the trail. */
export interface StatusChange {
  readonly type: 'status-changed';
  readonly actor: Actor;
  readonly at: string;
  readonly details: {
    readonly from: RequestStatus;
    readonly to: RequestStatus;
    readonly reason?: string;
    readonly refusalGround?: string;
  };
}

/**
 * Checks a move against the table and returns the audit event describing it.
 * Throws IllegalTransition or RefusalGroundRequired; changes nothing itself, so
 * the caller can write the new status and the event in one transaction.
 */
export function planTransition(from: RequestStatus, input: TransitionInput): StatusChange {
  if (!canTransition(from, input.to)) throw new IllegalTransition(from, input.to);
  if (input.to === 'refused' && !input.refusalGround) throw new RefusalGroundRequired();
  return {
    type: 'status-changed',
    actor: input.actor,
    at: input.at,
    details: {
      from,
      to: input.to,
      ...(input.reason === undefined ? {} : { reason: input.reason }),
      ...(input.refusalGround === undefined ? {} : { refusalGround: input.refusalGround }),
    },
  };
}
