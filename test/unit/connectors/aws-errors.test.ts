import { describe, expect, it } from 'vitest';
import { isTransientAwsError, toConnectorError } from '../../../connectors/aws-errors';
import { ConnectorPermanentError, ConnectorTransientError } from '../../../connectors/contract';

const sdkError = (name: string, httpStatusCode?: number) =>
  Object.assign(new Error('message that may hold a value'), {
    name,
    $metadata: httpStatusCode === undefined ? {} : { httpStatusCode },
  });

describe('toConnectorError', () => {
  it.each([
    ['ProvisionedThroughputExceededException', 400],
    ['ThrottlingException', 400],
    ['RequestLimitExceeded', 400],
    ['InternalServerError', 500],
    ['SlowDown', 503],
    ['TimeoutError', undefined],
    ['SomeFutureServerFault', 502],
    ['TooManyRequests', 429],
  ])('treats %s (HTTP %s) as transient', (name, status) => {
    expect(toConnectorError('orders', 'Query', sdkError(name, status))).toBeInstanceOf(
      ConnectorTransientError,
    );
  });

  it.each([
    ['AccessDeniedException', 400],
    ['ResourceNotFoundException', 400],
    ['ValidationException', 400],
    ['NoSuchBucket', 404],
    ['AccessDenied', 403],
    ['ConditionalCheckFailedException', 400],
  ])('treats %s (HTTP %s) as permanent', (name, status) => {
    expect(toConnectorError('orders', 'Query', sdkError(name, status))).toBeInstanceOf(
      ConnectorPermanentError,
    );
  });

  it('treats a refused connection, however deeply wrapped, as transient', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(isTransientAwsError(new Error('request failed', { cause: refused }))).toBe(true);
  });

  it('treats an unrecognised error, such as a bug, as permanent: retrying it only delays the report', () => {
    expect(toConnectorError('orders', 'Query', new TypeError('x is undefined'))).toBeInstanceOf(
      ConnectorPermanentError,
    );
  });

  it('names the store, the action and the error code but not the service message, which may hold data', () => {
    const error = toConnectorError('orders', 'UpdateItem', sdkError('ValidationException', 400));
    expect(error.message).toBe('orders: UpdateItem failed: ValidationException');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('passes a connector error through unchanged', () => {
    const original = new ConnectorTransientError('orders', 'left items unprocessed');
    expect(toConnectorError('orders', 'BatchWriteItem', original)).toBe(original);
  });
});
