import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallerNotIdentified, callerFromClaims, claimValues } from '../../../adapters/lambda/console-caller';

describe('claimValues', () => {
  it.each([
    ['API Gateway’s bracketed form', '[agent supervisor]', ['agent', 'supervisor']],
    ['a single bracketed value', '[auditor]', ['auditor']],
    ['a comma-separated list', 'agent, auditor', ['agent', 'auditor']],
    ['a single value', 'supervisor', ['supervisor']],
    ['a JSON array', ['agent', 'auditor'], ['agent', 'auditor']],
    ['an empty bracket', '[]', []],
    ['a number', 3, []],
    ['nothing', undefined, []],
  ])('reads %s', (_case, value, expected) => {
    expect(claimValues(value)).toEqual(expected);
  });

  it('reads back any list API Gateway flattened', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9:_-]{0,20}$/);
    fc.assert(
      fc.property(fc.array(name, { maxLength: 5 }), (names) => {
        expect(claimValues(`[${names.join(' ')}]`)).toEqual(names);
      }),
    );
  });
});

describe('callerFromClaims', () => {
  it('reads a Cognito access token as API Gateway passes it: groups as a string, the username as actor', () => {
    expect(
      callerFromClaims({
        sub: '5f3c2a1e-0000-4000-8000-000000000000',
        username: 'alice',
        'cognito:groups': '[agent supervisor]',
        exp: '1767225600',
      }),
    ).toEqual({ agentId: 'alice', roles: ['agent', 'supervisor'], actor: { kind: 'agent', id: 'alice' } });
  });

  it('accepts a roles claim from an outside issuer, falls back to the subject, and ignores unknown roles', () => {
    expect(callerFromClaims({ sub: 'auth0|5f3c2a1e', roles: '[auditor admin]' })).toEqual({
      agentId: 'auth0|5f3c2a1e',
      roles: ['auditor'],
      actor: { kind: 'agent', id: 'auth0|5f3c2a1e' },
    });
  });

  it('refuses claims that name nobody', () => {
    expect(() => callerFromClaims(undefined)).toThrow(CallerNotIdentified);
    expect(() => callerFromClaims({ 'cognito:groups': '[agent]' })).toThrow(CallerNotIdentified);
    expect(() => callerFromClaims({ username: 'has space', 'cognito:groups': '[agent]' })).toThrow(
      CallerNotIdentified,
    );
  });
});
