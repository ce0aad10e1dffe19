/**
 * A deadline for one call to a store. The AWS SDK waits for an answer as long
 * as the socket stays open (its default request handler has no timeout), so a
 * store that accepts a request and never answers would hold a fulfilment task
 * until the Lambda itself is killed. Each call gets an AbortSignal that fires
 * at the deadline; a call aborted by it is a ConnectorTransientError naming
 * the store (the workflow retries the step later), and is not retried inside
 * the connector: the step has already spent its time.
 */
import { ConnectorTransientError } from './contract';

/** What an SDK `send` accepts as its second argument. */
export interface CallOptions {
  readonly abortSignal: AbortSignal;
}

/** @default for DynamoDB and S3 connectors: 10 s per call. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

export async function withinDeadline<T>(
  storeId: string,
  action: string,
  timeoutMs: number,
  call: (options: CallOptions) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await call({ abortSignal: controller.signal });
  } catch (error) {
    if (controller.signal.aborted) {
      throw new ConnectorTransientError(storeId, `${action} got no answer within ${timeoutMs} ms`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Worth another attempt inside the connector: transient, and not a deadline already spent. */
export function retriableWithinCall(isTransient: (error: unknown) => boolean) {
  return (error: unknown) => !(error instanceof ConnectorTransientError) && isTransient(error);
}
