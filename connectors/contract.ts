/**
 * The one interface every data-store connector implements, and the errors it
 * may throw. The conformance suite (test/conformance/) runs the same
 * obligations against every real connector on the local stack:
 *
 * 1. find only by the identifiers it is given (which are verified ones);
 * 2. export streams records (an async iterable, never one big array);
 * 3. erase is idempotent: erasing what is already gone is not an error;
 * 4. verify proves what remains after erasure (0, anonymised, retained);
 * 5. correct changes only the subject's records, only allow-listed fields,
 *    and is idempotent (a change already made is reported, not made again);
 * 6. a store that is down, breaks off, is too slow or throttles is a
 *    ConnectorTransientError naming the store, never a crash of the process
 *    and never a reported success; the retried call then completes;
 * 7. a store that resolves identifiers (`resolves`) refuses, with an
 *    AmbiguousSubjectError, identifiers that match more than one subject:
 *    it never picks one of them.
 */

import { PermanentError, TransientError } from '../domain/errors';
import type { LookupIdentifier, StoreDefinition } from '../domain/stores/schema';

/** Verified (or resolved-from-verified) identifiers of one subject. */
export type SubjectIdentity = Partial<Readonly<Record<LookupIdentifier, string>>>;

export interface ExportedRecord {
  readonly storeId: string;
  readonly category: string;
  /** Stable key of the record within the store (table#pk#sk, object key, table#id). */
  readonly recordKey: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface ErasureContext {
  readonly requestId: string;
  /** Key for the `hmac` anonymisation strategy. */
  readonly hmacKey: string;
  /** ISO-8601 instant; retention periods are judged against it. */
  readonly now: string;
}

export interface ErasureOutcome {
  readonly deleted: number;
  readonly anonymised: number;
  /** Records kept under a legal hold, with processing marked restricted (PIPL art. 47). */
  readonly retained: number;
  readonly retainedBases: readonly string[];
  /** Receipts from processors (http-processor), kept as deletion proof. */
  readonly receipts?: readonly string[];
}

export interface RemainingData {
  /** Records still holding the subject's personal data un-anonymised and not under a hold: must be 0. */
  readonly remaining: number;
  readonly anonymised: number;
  readonly retained: number;
  readonly retainedBases: readonly string[];
}

/** A value a correction may write: a JSON scalar (nested data is not corrected through the console). */
export type CorrectionValue = string | number | boolean | null;

/** One field to set, in one category of the store (the category's `correctable` allow-list must name it). */
export interface FieldChange {
  readonly category: string;
  readonly field: string;
  readonly value: CorrectionValue;
}

export interface CorrectionContext {
  readonly requestId: string;
  /** ISO-8601 instant of the correction. */
  readonly now: string;
}

/**
 * One field of one record as the correction found and left it. Raw values:
 * the caller masks them (domain/correction.ts) before anything is stored.
 */
export interface CorrectedField {
  readonly recordKey: string;
  readonly category: string;
  readonly field: string;
  /** The value before; undefined when the record did not have the field. */
  readonly before: unknown;
  readonly after: CorrectionValue;
  /** False when the record already held the value: nothing was written (a repeat, or already right). */
  readonly changed: boolean;
}

export type CorrectionOutcome =
  | { readonly status: 'applied'; readonly records: readonly CorrectedField[] }
  /** Someone else makes the change (a processor, an agent): asking again later reports the result. */
  | {
      readonly status: 'pending';
      readonly records: readonly CorrectedField[];
      readonly waitingFor: 'processor' | 'agent';
      readonly reference: string;
    };

export interface Connector {
  readonly store: StoreDefinition;
  /** Cheap reachability check (table exists, bucket exists, SELECT 1, processor /health). */
  healthCheck(): Promise<void>;
  /** How many records the subject has here, and identifiers this store resolves for later stores. */
  find(identity: SubjectIdentity): Promise<{ count: number; resolved: SubjectIdentity }>;
  /** The subject's records, streamed. */
  export(identity: SubjectIdentity): AsyncIterable<ExportedRecord>;
  /** Applies each category's erasure mode. Idempotent. */
  erase(identity: SubjectIdentity, context: ErasureContext): Promise<ErasureOutcome>;
  /** Re-queries after erasure and reports what remains. */
  verifyErasure(identity: SubjectIdentity, context: ErasureContext): Promise<RemainingData>;
  /**
   * Sets each change's field on every record of the subject in its category
   * (PIPL art. 46). Only fields the category's `correctable` list names;
   * anything else is refused with FieldNotCorrectable before anything is written.
   */
  correct(
    identity: SubjectIdentity,
    changes: readonly FieldChange[],
    context: CorrectionContext,
  ): Promise<CorrectionOutcome>;
}

/** Worth retrying: throttling, timeouts, 5xx. The ASL Retry matches on these names. */
export class ConnectorTransientError extends TransientError {
  override readonly name = 'ConnectorTransientError' as const;
  readonly code = 'store-unavailable';
  readonly retriable = true;
  constructor(
    readonly storeId: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${storeId}: ${message}`, options);
  }
}

/**
 * Not worth retrying: misconfiguration, access denied, a processor that refused.
 * Subclasses name a refusal more precisely (their `name` is what the ASL and the
 * trail show) and are still handled as this.
 */
export class ConnectorPermanentError extends PermanentError {
  override readonly name: string = 'ConnectorPermanentError';
  readonly code: string = 'store-failed';
  readonly retriable = false;
  constructor(
    readonly storeId: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${storeId}: ${message}`, options);
  }
}

/**
 * The identifiers a resolving store was given match more than one subject
 * (two accounts behind one verified email): which one is the requester's is
 * for an agent to decide, since guessing would disclose or erase someone
 * else's data in every store after it. Never retried: asking again finds the
 * same rows. The message names the store, the identifier kind and how many
 * values, never the values (they are personal data).
 */
export class AmbiguousSubjectError extends PermanentError {
  override readonly name = 'AmbiguousSubjectError' as const;
  readonly code = 'ambiguous-identity';
  readonly retriable = false;
  constructor(
    readonly storeId: string,
    readonly identifier: LookupIdentifier,
    readonly matches: number,
  ) {
    super(
      `${storeId}: the identifiers match ${matches} different ${identifier} values; an agent must decide which subject this is`,
    );
  }
}

/**
 * The one value of each resolved identifier kind, from every value a store's
 * matching records hold; more than one value of a kind is ambiguous. Shared by
 * the resolving connectors so that they all refuse the same case the same way.
 */
export function singleResolved(
  storeId: string,
  found: ReadonlyMap<LookupIdentifier, ReadonlySet<string>>,
): SubjectIdentity {
  const resolved: Partial<Record<LookupIdentifier, string>> = {};
  for (const [identifier, values] of found) {
    if (values.size > 1) throw new AmbiguousSubjectError(storeId, identifier, values.size);
    const [value] = values;
    if (value !== undefined) resolved[identifier] = value;
  }
  return resolved;
}

/** A correction names a field the registry does not allow to change here, or content the store cannot edit. */
export class FieldNotCorrectable extends PermanentError {
  override readonly name = 'FieldNotCorrectable' as const;
  readonly code = 'field-not-correctable';
  readonly retriable = false;
  constructor(
    readonly storeId: string,
    message: string,
  ) {
    super(`${storeId}: ${message}`);
  }
}

/**
 * A correction that failed part-way in a store without transactions: what it
 * had already changed comes with the failure, so the audit trail misses no
 * before/after. `cause` is the connector error (retriable or not).
 */
export class CorrectionInterrupted extends PermanentError {
  override readonly name = 'CorrectionInterrupted' as const;
  readonly code = 'correction-interrupted';
  constructor(
    readonly storeId: string,
    readonly applied: readonly CorrectedField[],
    override readonly cause: ConnectorTransientError | ConnectorPermanentError,
  ) {
    super(`${storeId}: correction interrupted after ${applied.length} fields: ${cause.message}`, { cause });
  }
}

/**
 * Checks every change against the store's allow-lists, before anything is
 * written. Connectors call it first; the console checks the same rule earlier
 * (domain/correction.ts), so this is the last line, not the only one.
 */
export function assertCorrectable(store: StoreDefinition, changes: readonly FieldChange[]): void {
  for (const change of changes) {
    const category = store.categories.find((candidate) => candidate.id === change.category);
    if (category === undefined) {
      throw new FieldNotCorrectable(store.id, `the store has no category ${change.category}`);
    }
    if (!(category.correctable ?? []).includes(change.field)) {
      throw new FieldNotCorrectable(store.id, `${change.category}.${change.field} is not correctable`);
    }
  }
}

/** Whether a stored value already is the value a correction writes (scalars only; a missing field is not null). */
export function holdsValue(stored: unknown, value: CorrectionValue): boolean {
  return stored === value;
}
