/**
 * ResolveIdentity — asks the stores that can resolve identifiers (e.g. the
 * accounts store: accountId from the verified email) for the subject's other
 * keys, before any store is processed. Resolved once and recorded, so a re-run
 * after the account is erased still knows the account id.
 */

import { getRequest, mutateRequest } from '../../adapters/aws/request-store';
import {
  type TaskInput,
  verifiedIdentity,
  workflowActor,
  workflowTask,
} from '../../adapters/lambda/workflow-task';
import type { SubjectIdentity } from '../../connectors/contract';
import { connectorFor } from './connectors';

export interface ResolveIdentityInput extends TaskInput {
  readonly resolverStores: readonly string[];
}

export async function resolveIdentity(input: ResolveIdentityInput, now = new Date()) {
  const record = await getRequest(input.requestId);
  if (!record.fulfilment || record.fulfilment.resolvedIdentifiers) return { requestId: input.requestId };
  const verified = verifiedIdentity(record);
  let identity: SubjectIdentity = verified;
  for (const storeId of input.resolverStores) {
    const { resolved } = await connectorFor(storeId, input.requestId).find(identity);
    identity = { ...resolved, ...identity };
  }
  const resolvedIdentifiers: Record<string, string> = {};
  for (const [kind, value] of Object.entries(identity)) {
    if (value !== undefined && verified[kind as keyof SubjectIdentity] === undefined)
      resolvedIdentifiers[kind] = value;
  }
  await mutateRequest(input.requestId, (current) => {
    if (!current.fulfilment || current.fulfilment.resolvedIdentifiers) return undefined;
    return {
      next: { ...current, fulfilment: { ...current.fulfilment, resolvedIdentifiers } },
      events: [
        {
          type: 'store-processed',
          actor: workflowActor,
          at: now.toISOString(),
          // Which kinds were resolved, never their values.
          details: { step: 'resolve-identity', resolvedKinds: Object.keys(resolvedIdentifiers) },
        },
      ],
    };
  });
  return { requestId: input.requestId };
}

export const handler = workflowTask((input: ResolveIdentityInput) => resolveIdentity(input));
