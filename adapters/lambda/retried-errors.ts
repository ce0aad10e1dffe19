/**
 * The errors the fulfilment workflow retries, as classes: every TransientError
 * (domain/errors.ts) its task Lambdas throw on purpose. Their names are what
 * statemachines/fulfilment.asl.json lists in its `Retry` `ErrorEquals`, next to
 * the Lambda service's own (`Lambda.*`, `Sandbox.Timedout`);
 * test/unit/statemachines/error-classes.test.ts checks both ways: no name is
 * retried that is not a TransientError here, and no TransientError a task can
 * throw (found from the tasks' imports) is left out unless it says why.
 *
 * The keys are the classes' own identifiers (shorthand properties), so the
 * names are not typed by hand and survive minification; the test checks that
 * each equals the `name` its instances carry (the Lambda `errorType`).
 */

import { PackageChanged, TransferUnavailable } from '../../app/fulfilment/push-portability';
import { StaleRequest } from '../../app/request-writes';
import { ConnectorTransientError } from '../../connectors/contract';
import type { TransientError } from '../../domain/errors';
import { ExportDeletionIncomplete } from '../aws/export-objects';
import { EndpointUnreachable } from '../net/outbound-guard';

type TransientErrorClass = abstract new (...args: never[]) => TransientError;

export const RETRIED_ERRORS = {
  /** A store did not answer (ProcessStore: exponential backoff with full jitter). */
  ConnectorTransientError,
  /** Another writer changed the request first (every task: read again, decide again). */
  StaleRequest,
  /** The recipient's endpoint did not answer (PushPortability). */
  EndpointUnreachable,
  /** The recipient answered 5xx or 429 (PushPortability). */
  TransferUnavailable,
  /** The package was rebuilt between digest and send (PushPortability). */
  PackageChanged,
  /** S3 could not delete an earlier package of an erasure's subject (CloseRequest). */
  ExportDeletionIncomplete,
} as const satisfies Readonly<Record<string, TransientErrorClass>>;

export type RetriedErrorName = keyof typeof RETRIED_ERRORS;

/** The names the ASL's `Retry` may list besides the Lambda service's own. */
export const TRANSIENT_ERROR_NAMES: readonly RetriedErrorName[] = Object.keys(
  RETRIED_ERRORS,
) as RetriedErrorName[];
