/**
 * What the console records on a request besides its status: approvals, the
 * refusal, notes, the repeat-request decision. Stored on the request item
 * (KMS-encrypted, erased with it), while the audit trail keeps that each
 * happened, by whom and when, without the free text.
 */
import type { RefusalGroundId } from '../policy/refusal-grounds';

/** A console user's id as the audit trail records it: a user name, or an outside issuer's subject (`auth0|…`). */
export const AGENT_ID = /^[\w.@:+|-]{1,128}$/;

/** How a request taken by an agent reached the organisation. */
export const CONSOLE_INTAKE_CHANNELS = ['phone', 'counter', 'in-app', 'post'] as const;
export type ConsoleIntakeChannel = (typeof CONSOLE_INTAKE_CHANNELS)[number];

/** Identity checks an agent performs (the others are automatic: codes, sessions). */
export const AGENT_IDENTITY_METHODS = [
  'in-person',
  'phone-callback',
  'id-document',
  'account-login',
] as const;
export type AgentIdentityMethod = (typeof AGENT_IDENTITY_METHODS)[number];

/** Why a request needs approval before fulfilment. */
export type ApprovalReason =
  | 'policy-request-type'
  | 'organisation-floor'
  | 'real-name-deletion'
  // Taken in the console, and its fulfilment exports or erases data: a second console user approves.
  | 'four-eyes';

/** The offline identity check and risk explanation seed 002 §VII.3 requires before deleting real-name data. */
export interface OfflineCheck {
  readonly method: 'in-person' | 'id-document' | 'phone-callback';
  readonly risksExplained: true;
}

export interface Approval {
  readonly by: string;
  readonly role: 'agent' | 'supervisor';
  readonly at: string;
  readonly reasons: readonly ApprovalReason[];
  readonly note?: string;
  readonly offlineCheck?: OfflineCheck;
}

export interface Refusal {
  readonly ground: RefusalGroundId;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export interface CaseNote {
  readonly by: string;
  readonly at: string;
  readonly text: string;
}

export interface RepeatDecision {
  /** Earlier requests of the same type by the same subject within the period (this one excluded). */
  readonly earlierInPeriod: number;
  readonly periodMonths: number;
  readonly freePerPeriod: number | null;
  readonly beyondFreeLimit: boolean;
  readonly feeAllowed: boolean;
  readonly refusalAllowed: boolean;
  readonly feeCharged: boolean;
  readonly feeNote?: string;
  readonly by: string;
  readonly at: string;
}
