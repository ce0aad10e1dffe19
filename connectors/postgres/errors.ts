/**
 * Which PostgreSQL failures are worth retrying. The ASL Retry matches on the
 * error name, so the split decides whether the workflow waits and tries the
 * step again or records the store as failed.
 *
 * Transient: the server is unreachable, restarting or overloaded, a timeout,
 * or a concurrent transaction won (serialization failure 40001, deadlock
 * 40P01, lock not available 55P03): the same statement can succeed later.
 * Permanent: everything else (a missing table, a type mismatch between an
 * anonymised value and its column, permissions): retrying repeats it.
 */
import { ConnectorPermanentError, ConnectorTransientError } from '../contract';

const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '57014', // query_canceled (statement_timeout)
]);

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

/** Messages of the pg client's own timeouts and dropped connections, which carry no code. */
const TRANSIENT_MESSAGES =
  /timeout|Connection terminated|connection.*(closed|ended)|connection error and is not queryable/i;

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

export function isTransientPostgresError(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined) {
    // Class 08: connection exceptions.
    return TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NETWORK_CODES.has(code) || code.startsWith('08');
  }
  if (error instanceof AggregateError) return error.errors.some(isTransientPostgresError);
  return error instanceof Error && TRANSIENT_MESSAGES.test(error.message);
}

/**
 * The connector error for a PostgreSQL failure. The message names the SQLSTATE
 * and what was being done, never row values (they are personal data).
 */
export function toConnectorError(
  storeId: string,
  doing: string,
  error: unknown,
): ConnectorTransientError | ConnectorPermanentError {
  if (error instanceof ConnectorTransientError || error instanceof ConnectorPermanentError) return error;
  const code = codeOf(error);
  const message = `${doing} failed${code === undefined ? '' : ` (${code})`}`;
  return isTransientPostgresError(error)
    ? new ConnectorTransientError(storeId, message, { cause: error })
    : new ConnectorPermanentError(storeId, message, { cause: error });
}
