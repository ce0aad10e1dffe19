/**
 * Who is calling a console route, read from the claims the HTTP API's JWT
 * authoriser validated (`requestContext.authorizer.jwt.claims`). The token was
 * checked by API Gateway (or the local authoriser); this only reads it.
 *
 * API Gateway hands every claim over as a string, and an array claim such as
 * `cognito:groups` as `[agent supervisor]`; a direct invocation or another
 * issuer may send a real array or a comma-separated list. All are accepted.
 */

import { CONSOLE_ROLES, type ConsoleRole } from '../../definitions/console-roles';
import { AGENT_ID } from '../../domain/console/case-records';
import { Unauthenticated } from '../../domain/errors';
import type { Actor } from '../../domain/lifecycle';

export interface ConsoleCaller {
  /** The console user's name (`username`), else the token subject; the audit trail's actor id. */
  readonly agentId: string;
  readonly roles: readonly ConsoleRole[];
  readonly actor: Actor;
}

/** The token names no user: answered 401 like a missing token. */
export class CallerNotIdentified extends Unauthenticated {
  override readonly name = 'CallerNotIdentified' as const;
  readonly code = 'unauthorized';
  constructor() {
    super('The token names no console user');
  }
}

/** The values of a list claim in any of the shapes it arrives in. */
export function claimValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (typeof value !== 'string') return [];
  const inner = value.trim().replace(/^\[(.*)\]$/s, '$1');
  return inner
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Reads the caller from validated claims; throws CallerNotIdentified when no usable id is present. */
export function callerFromClaims(claims: Readonly<Record<string, unknown>> | undefined): ConsoleCaller {
  if (!claims) throw new CallerNotIdentified();
  const candidates = [claims.username, claims['cognito:username'], claims.sub];
  const agentId = candidates.find(
    (value): value is string => typeof value === 'string' && AGENT_ID.test(value),
  );
  if (!agentId) throw new CallerNotIdentified();
  const named = new Set([...claimValues(claims['cognito:groups']), ...claimValues(claims.roles)]);
  const roles = CONSOLE_ROLES.filter((role) => named.has(role));
  return { agentId, roles, actor: { kind: 'agent', id: agentId } };
}
