/**
 * Sorting AWS SDK errors into the two connector errors the state machine
 * tells apart: worth retrying later (ConnectorTransientError) or not
 * (ConnectorPermanentError). The sorting is by the error's name first (the
 * service's error code), then by its HTTP status, then by Node's network
 * error codes; anything unrecognised is permanent, because retrying a bug
 * only delays the report of it.
 */
import { ConnectorPermanentError, ConnectorTransientError } from './contract';

const TRANSIENT_NAMES = new Set([
  // DynamoDB
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'LimitExceededException',
  'TransactionInProgressException',
  // S3
  'SlowDown',
  'InternalError',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  // Both, and the SDK itself
  'ServiceUnavailable',
  'Throttling',
  'TimeoutError',
  'RequestTimeoutException',
]);

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
}

function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as SdkErrorShape).code;
    if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether an error from an AWS call is worth retrying. */
export function isTransientAwsError(error: unknown): boolean {
  if (error instanceof ConnectorTransientError) return true;
  if (error instanceof ConnectorPermanentError || typeof error !== 'object' || error === null) return false;
  const { name, $metadata, $retryable } = error as SdkErrorShape;
  if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return true;
  const status = $metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if ($retryable !== undefined && status === undefined) return true;
  return networkCode(error) !== undefined;
}

/** The connector error for a failed AWS call; connector errors pass through unchanged. */
export function toConnectorError(storeId: string, action: string, error: unknown): Error {
  if (error instanceof ConnectorTransientError || error instanceof ConnectorPermanentError) return error;
  const name = typeof error === 'object' && error !== null ? (error as SdkErrorShape).name : undefined;
  const reason = `${action} failed: ${typeof name === 'string' ? name : 'unknown error'}`;
  return isTransientAwsError(error)
    ? new ConnectorTransientError(storeId, reason, { cause: error })
    : new ConnectorPermanentError(storeId, reason, { cause: error });
}
