import { describe, expect, it } from 'vitest';
import { HttpProblem, problemFor } from '../../../adapters/lambda/http-problem';
import { StaleRequest } from '../../../app/request-writes';
import { ConnectorTransientError } from '../../../connectors/contract';
import { InvalidCalendarData } from '../../../domain/clock/errors';
import { FeeNotAllowed, RequestTypeNotOffered, SupervisorRequired } from '../../../domain/console/errors';
import {
  Conflict,
  Forbidden,
  Gone,
  InvalidInput,
  NotFound,
  PermanentError,
  Unauthenticated,
} from '../../../domain/errors';

class SomeInput extends InvalidInput {
  override readonly name = 'SomeInput' as const;
  readonly code = 'some-input';
}
class SomeUnauthenticated extends Unauthenticated {
  override readonly name = 'SomeUnauthenticated' as const;
  readonly code = 'some-unauthenticated';
}
class SomeForbidden extends Forbidden {
  override readonly name = 'SomeForbidden' as const;
  readonly code = 'some-forbidden';
}
class SomeNotFound extends NotFound {
  override readonly name = 'SomeNotFound' as const;
  readonly code = 'some-not-found';
}
class SomeConflict extends Conflict {
  override readonly name = 'SomeConflict' as const;
  readonly code = 'some-conflict';
}
class SomeGone extends Gone {
  override readonly name = 'SomeGone' as const;
  readonly code = 'some-gone';
}
class SomeFault extends PermanentError {
  override readonly name = 'SomeFault' as const;
  readonly code = 'some-fault';
}

describe('problemFor', () => {
  it.each([
    [new SomeInput('bad', { field: 'x' }), 400],
    [new SomeUnauthenticated('who?'), 401],
    [new SomeForbidden('no'), 403],
    [new SomeNotFound('none'), 404],
    [new SomeConflict('not now'), 409],
    [new SomeGone('gone'), 410],
    [new StaleRequest('r-1'), 409],
  ])('answers %s by its kind with status %i and its own code', (error, status) => {
    expect(problemFor(error)).toMatchObject({ statusCode: status, code: error.code, message: error.message });
  });

  it('names the field and lists every problem the error carries', () => {
    expect(problemFor(new RequestTypeNotOffered('copy', 'p', ['access']))).toMatchObject({
      statusCode: 400,
      code: 'type-not-offered',
      field: 'type',
    });
    expect(problemFor(new FeeNotAllowed('no fee'))).toMatchObject({ statusCode: 409, field: 'chargeFee' });
    expect(problemFor(new InvalidCalendarData('c', 'bad', ['a', 'b']))).toMatchObject({
      statusCode: 400,
      code: 'invalid-notice',
      problems: ['a', 'b'],
    });
    expect(problemFor(new SupervisorRequired('approve'))?.field).toBeUndefined();
  });

  it('leaves permanent and transient failures to the 500 answer', () => {
    expect(problemFor(new SomeFault('broken'))).toBeUndefined();
    expect(problemFor(new ConnectorTransientError('s', 'down'))).toBeUndefined();
    expect(problemFor(new Error('anything'))).toBeUndefined();
    expect(problemFor('not an error')).toBeUndefined();
  });

  it.each([
    ['IdempotencyValidationError', 422, 'idempotency-key-reused'],
    ['IdempotencyAlreadyInProgressError', 409, 'request-in-progress'],
  ])('maps the third-party %s by name to %i %s', (name, status, code) => {
    const error = Object.assign(new Error('x'), { name });
    expect(problemFor(error)).toMatchObject({ statusCode: status, code });
  });

  it("answers middy's own client errors by the status they carry, and passes problems through", () => {
    expect(problemFor(Object.assign(new Error('bad header'), { statusCode: 400 }))).toMatchObject({
      statusCode: 400,
      code: 'bad-request',
    });
    const problem = new HttpProblem(415, 'unsupported-media-type', 'json only');
    expect(problemFor(problem)).toBe(problem);
    expect(problemFor(Object.assign(new Error('toString'), { name: 'toString' }))).toBeUndefined();
  });
});
