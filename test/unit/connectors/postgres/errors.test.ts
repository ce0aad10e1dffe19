import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isTransientPostgresError, toConnectorError } from '../../../../connectors/postgres/errors';

function databaseError(code: string): pg.DatabaseError {
  const error = new pg.DatabaseError('server said no', 0, 'error');
  error.code = code;
  return error;
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
}

describe('PostgreSQL error classification', () => {
  it.each([
    ['a serialization failure', databaseError('40001')],
    ['a deadlock', databaseError('40P01')],
    ['a lock that is not available', databaseError('55P03')],
    ['a server shutting down', databaseError('57P01')],
    ['a server still starting', databaseError('57P03')],
    ['a connection exception', databaseError('08006')],
    ['a statement timeout', databaseError('57014')],
    ['a refused connection', networkError('ECONNREFUSED')],
    ['a reset connection', networkError('ECONNRESET')],
    ['a connect timeout', new Error('Connection terminated due to connection timeout')],
    [
      'a dual-stack refusal',
      new AggregateError([networkError('ECONNREFUSED'), networkError('ECONNREFUSED')]),
    ],
  ])('retries %s', (_what, error) => {
    expect(isTransientPostgresError(error)).toBe(true);
    expect(toConnectorError('loyalty', 'erase', error).name).toBe('ConnectorTransientError');
  });

  it.each([
    ['a missing table', databaseError('42P01')],
    ['a value of the wrong type', databaseError('22007')],
    ['a permission denied', databaseError('42501')],
    ['an exception raised by a trigger', databaseError('P0001')],
    ['a wrong password', databaseError('28P01')],
  ])('does not retry %s', (_what, error) => {
    expect(isTransientPostgresError(error)).toBe(false);
    expect(toConnectorError('loyalty', 'erase', error).name).toBe('ConnectorPermanentError');
  });

  it('names the SQLSTATE and what was being done, but not the server message (it may hold row values)', () => {
    const error = databaseError('22007');
    error.message = 'invalid input syntax for type date: "li.lei@example.com"';
    const converted = toConnectorError('loyalty', 'erase', error);
    expect(converted.message).toBe('loyalty: erase failed (22007)');
    expect(converted.cause).toBe(error);
  });
});
