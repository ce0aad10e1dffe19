import { describe, expect, it } from 'vitest';
import { parseFunctionName, toFunctionErrorPayload } from '../../../local/lambda';

describe('parseFunctionName', () => {
  it.each([
    ['SubmitRequest', { name: 'SubmitRequest' }],
    ['SubmitRequest:$LATEST', { name: 'SubmitRequest', qualifier: '$LATEST' }],
    ['arn:aws:lambda:us-east-1:000000000000:function:SubmitRequest', { name: 'SubmitRequest' }],
    [
      'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:Load:live',
      { name: 'Load', qualifier: 'live' },
    ],
    ['arn:aws-cn:lambda:cn-north-1:123456789012:function:Load', { name: 'Load' }],
    ['123456789012:function:Load', { name: 'Load' }],
    ['123456789012:function:Load:7', { name: 'Load', qualifier: '7' }],
  ])('reads %s as Lambda does', (functionName, expected) => {
    expect(parseFunctionName(functionName)).toEqual(expected);
  });

  it.each([
    [''],
    ['arn:aws:states:::lambda:invoke'],
    ['arn:aws:lambda:us-east-1:000000000000:function:'],
    ['has space'],
    ['a'.repeat(65)],
  ])('rejects the malformed name %j', (functionName) => {
    expect(parseFunctionName(functionName)).toBeUndefined();
  });
});

describe('toFunctionErrorPayload', () => {
  class QuotaExceededError extends Error {
    override name = 'QuotaExceededError' as const;
  }

  it('takes errorType from the class name so ASL Retry and Catch can match it', () => {
    const payload = toFunctionErrorPayload(new QuotaExceededError('slow down'));

    expect(payload.errorType).toBe('QuotaExceededError');
    expect(payload.errorMessage).toBe('slow down');
    expect(payload.trace?.[0]).toBe('QuotaExceededError: slow down');
  });

  it.each([
    ['a string', 'plain failure', 'string', 'plain failure'],
    ['a number', 42, 'number', '42'],
  ])(
    'reports a thrown %s with its typeof as errorType, like the Node.js runtime',
    (_, thrown, type, message) => {
      expect(toFunctionErrorPayload(thrown)).toEqual({ errorType: type, errorMessage: message, trace: [] });
    },
  );
});
