/**
 * The OpenDSR (formerly OpenGDPR) messages this pipeline exchanges with a
 * processor, kept to the fields we use, with the specification's names:
 *
 * - the controller POSTs a request (`subject_request_id` is the controller's
 *   own UUID, so the same id can be asked about later, and a repeat is
 *   recognised); the processor answers 201 with `expected_completion_time`;
 * - the controller GETs `<endpoint>/<subject_request_id>` for its status
 *   (`pending` → `in_progress` → `completed`, or `cancelled`);
 * - the processor POSTs the same status document to each
 *   `status_callback_urls` entry when the status changes.
 *
 * Where we differ from the specification, on purpose:
 * - callbacks are signed with HMAC-SHA256 under a shared secret (header
 *   `X-OpenDSR-Signature`, hex) instead of the processor's X.509 signature:
 *   the registry configures one shared secret per processor;
 * - two extension fields in a completed status: `deletion_receipt_id` (the
 *   processor's proof of deletion, kept by the pipeline) and
 *   `records_deleted`; an access request's results are at `results_url`;
 * - a `rectification` request type (extension, for PIPL art. 46 / GDPR
 *   art. 16): the request carries `rectifications` (category, field, value),
 *   and the completed status lists `rectified_records`, each record's field
 *   before and after. A processor offers it by listing `rectification` in
 *   its discovery document's `supported_subject_request_types`.
 */
import { createHash } from 'node:crypto';

export const OPENDSR_API_VERSION = '2.0';
export const SIGNATURE_HEADER = 'X-OpenDSR-Signature';

export type OpenDsrRequestType = 'erasure' | 'access' | 'rectification';
export type OpenDsrIdentityType = 'email' | 'phone_number' | 'controller_customer_id';
export type OpenDsrRequestStatus = 'pending' | 'in_progress' | 'completed' | 'cancelled';

export interface OpenDsrIdentity {
  readonly identity_type: OpenDsrIdentityType;
  readonly identity_value: string;
  readonly identity_format: 'raw';
}

export interface OpenDsrRequest {
  readonly api_version: string;
  readonly subject_request_id: string;
  readonly subject_request_type: OpenDsrRequestType;
  /** RFC 3339 time of the data subject's original request. */
  readonly submitted_time: string;
  readonly subject_identities: readonly OpenDsrIdentity[];
  readonly status_callback_urls?: readonly string[];
  /** Extension: what a rectification request sets. */
  readonly rectifications?: readonly OpenDsrRectification[];
}

export interface OpenDsrRectification {
  readonly category: string;
  readonly field: string;
  readonly value: string | number | boolean | null;
}

/** Extension: one field of one record as a completed rectification left it. */
export interface OpenDsrRectifiedRecord {
  readonly record_id: string;
  readonly category: string;
  readonly field: string;
  /** Absent when the record did not have the field. */
  readonly before?: unknown;
  readonly after: string | number | boolean | null;
  readonly changed: boolean;
}

/** The 201 answer to a new request. */
export interface OpenDsrCreated {
  readonly subject_request_id: string;
  readonly received_time: string;
  readonly expected_completion_time: string;
}

export interface OpenDsrStatus {
  readonly api_version: string;
  readonly subject_request_id: string;
  readonly request_status: OpenDsrRequestStatus;
  readonly expected_completion_time: string;
  /** Access requests, once completed: where the subject's records can be fetched. */
  readonly results_url?: string;
  /** Extension: erasure requests, once completed. */
  readonly deletion_receipt_id?: string;
  /** Extension: erasure requests, once completed. */
  readonly records_deleted?: number;
  /** Extension: rectification requests, once completed. */
  readonly rectified_records?: readonly OpenDsrRectifiedRecord[];
}

/** An access request's results document at `results_url`. */
export interface OpenDsrResults {
  readonly subject_request_id: string;
  readonly records: readonly Readonly<Record<string, unknown>>[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** A namespace of our own for name-based request ids (RFC 9562 UUIDv5). */
const REQUEST_ID_NAMESPACE = Buffer.from('6f1d2c4a8b3e4f0a9c7d5e2b1a0f3c6d', 'hex');

/**
 * The UUID (version 5, name-based) that names `name`, e.g.
 * `<requestId>:<storeId>`. OpenDSR wants a UUID as `subject_request_id`; a
 * name-based one is the same on every re-run of a workflow step, so a re-run
 * finds the processor request made before instead of making a second one.
 */
export function nameBasedUuid(name: string): string {
  const bytes = createHash('sha1').update(REQUEST_ID_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
