/**
 * Why a request needs attention: kept on the request record while its workflow
 * stands still (domain/workflow-failure.ts decides when). Its own module so the
 * record's shape does not depend on the rules that fill it.
 */
import type { RequestStatus } from './lifecycle';

export type AttentionKind = 'ambiguous-identity';

/** What a person needs to see about a stuck request (never personal data: names, codes and counts). */
export interface Attention {
  /**
   * What kind of stop this is, where it is not a store or a step that failed:
   * `ambiguous-identity` — a resolving store found more than one subject for
   * the verified identifiers; running it again will not help until an agent
   * has decided who the requester is.
   */
  readonly kind?: AttentionKind;
  /** One line for the queue and the status page, e.g. "ResolveIdentity failed on store loyalty". */
  readonly reason: string;
  /** The workflow state that failed, where known. */
  readonly step?: string;
  /** The registered store that failed, where the error names one. */
  readonly storeId?: string;
  /** The error's name (its Lambda `errorType`), e.g. ConnectorTransientError. */
  readonly error?: string;
  /** How many times the step ran before the workflow gave up (1 + its retries). */
  readonly attempts?: number;
  /** The execution that stopped, where known. */
  readonly execution?: string;
  /** Who noticed: the workflow's Catch, or the sweeper's reconciler. */
  readonly detectedBy: 'workflow' | 'reconciler';
  /** ISO-8601 instant it was recorded. */
  readonly at: string;
  /** The status the request had: a redrive returns it there (verified, in-progress or extended). */
  readonly from: RequestStatus;
}
