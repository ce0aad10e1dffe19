/**
 * The one interface every data-store connector implements, and the errors it
 * may throw. The conformance suite (test/conformance/) runs the same
 * obligations against every real connector on the local stack:
 *
 * 1. find only by the identifiers it is given (which are verified ones);
 * 2. export streams records (an async iterable, never one big array);
 * 3. erase is idempotent: erasing what is already gone is not an error;
 * 4. verify proves what remains after erasure (0, anonymised, retained).
 */
import type { DataCategory, LookupIdentifier, StoreDefinition } from '../domain/stores/schema';

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
}

/** Worth retrying: throttling, timeouts, 5xx. The ASL Retry matches on these names. */
export class ConnectorTransientError extends Error {
  override readonly name = 'ConnectorTransientError' as const;
  readonly retriable = true;
  constructor(
    readonly storeId: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${storeId}: ${message}`, options);
  }
}

/** Not worth retrying: misconfiguration, access denied, a processor that refused. */
export class ConnectorPermanentError extends Error {
  override readonly name = 'ConnectorPermanentError' as const;
  readonly retriable = false;
  constructor(
    readonly storeId: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${storeId}: ${message}`, options);
  }
}

/** The category a field belongs to, for connectors that split one record across categories. */
export function categoryOfField(
  categories: readonly DataCategory[],
  field: string,
): DataCategory | undefined {
  return categories.find((category) => category.fields?.includes(field));
}
