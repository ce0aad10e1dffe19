/**
 * ResolveIdentity — asks the stores that can resolve identifiers (e.g. the
 * accounts store: accountId from the verified email) for the subject's other
 * keys, before any store is processed. Resolved once and recorded, so a re-run
 * after the account is erased still knows the account id.
 */

import type { SubjectIdentity } from '../../connectors/contract';
import type { Clock, RequestRepository } from '../ports';
import type { ConnectorFactory } from './ports';
import { type TaskInput, verifiedIdentity, workflowActor } from './workflow';

export interface ResolveIdentityDeps {
  readonly requests: RequestRepository;
  readonly connectors: ConnectorFactory;
  readonly clock: Clock;
}

export interface ResolveIdentityInput extends TaskInput {
  readonly resolverStores: readonly string[];
}

export async function resolveIdentity(deps: ResolveIdentityDeps, input: ResolveIdentityInput) {
  const record = await deps.requests.get(input.requestId);
  if (!record.fulfilment || record.fulfilment.resolvedIdentifiers) return { requestId: input.requestId };
  const verified = verifiedIdentity(record);
  let identity: SubjectIdentity = verified;
  for (const storeId of input.resolverStores) {
    const { resolved } = await deps.connectors.connectorFor(storeId, input.requestId).find(identity);
    identity = { ...resolved, ...identity };
  }
  const resolvedIdentifiers: Record<string, string> = {};
  for (const [kind, value] of Object.entries(identity)) {
    if (value !== undefined && verified[kind as keyof SubjectIdentity] === undefined)
      resolvedIdentifiers[kind] = value;
  }
  await deps.requests.mutate(input.requestId, (current) => {
    if (!current.fulfilment || current.fulfilment.resolvedIdentifiers) return undefined;
    return {
      next: { ...current, fulfilment: { ...current.fulfilment, resolvedIdentifiers } },
      events: [
        {
          type: 'store-processed',
          actor: workflowActor,
          at: deps.clock.now().toISOString(),
          // Which kinds were resolved, never their values.
          details: { step: 'resolve-identity', resolvedKinds: Object.keys(resolvedIdentifiers) },
        },
      ],
    };
  });
  return { requestId: input.requestId };
}
