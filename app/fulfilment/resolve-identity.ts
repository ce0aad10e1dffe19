/**
 * ResolveIdentity — asks the stores that can resolve identifiers (e.g. the
 * accounts store: accountId from the verified email) for the subject's other
 * keys, before any store is processed. Resolved once and recorded, so a re-run
 * after the account is erased still knows the account id.
 *
 * A store that finds more than one subject for the verified identifiers
 * (AmbiguousSubjectError) stops the request here: it moves to
 * `needs-attention` with the kind `ambiguous-identity` and the store named,
 * and the error goes on to the workflow's Catch, which ends the execution
 * (its RecordWorkflowFailure keeps this first record). Not retried, and no
 * store is processed with one of the matches guessed.
 */

import { AmbiguousSubjectError, type SubjectIdentity } from '../../connectors/contract';
import type { RequestRecord } from '../../domain/request-record';
import { ambiguousIdentityAttention, planNeedsAttention } from '../../domain/workflow-failure';
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

/**
 * The identifiers the stores may be asked about: the verified ones plus those the resolver stores find
 * from them, asked in order (verified identifiers win over resolved ones). Once the resolved ones are
 * recorded on the request, those are used and no store is asked. The one resolution: the workflow's
 * ResolveIdentity records what it returns, a console correction (app/console/corrections.ts) uses it.
 */
export async function subjectIdentity(
  connectors: ConnectorFactory,
  record: RequestRecord,
  resolverStores: readonly string[],
): Promise<SubjectIdentity> {
  let identity = verifiedIdentity(record);
  if (record.fulfilment?.resolvedIdentifiers !== undefined) return identity;
  for (const storeId of resolverStores) {
    const { resolved } = await connectors.connectorFor(storeId, record.requestId).find(identity);
    identity = { ...resolved, ...identity };
  }
  return identity;
}

export async function resolveIdentity(deps: ResolveIdentityDeps, input: ResolveIdentityInput) {
  const record = await deps.requests.get(input.requestId);
  if (!record.fulfilment || record.fulfilment.resolvedIdentifiers) return { requestId: input.requestId };
  const verified = verifiedIdentity(record);
  let identity: SubjectIdentity;
  try {
    identity = await subjectIdentity(deps.connectors, record, input.resolverStores);
  } catch (error) {
    if (error instanceof AmbiguousSubjectError) await stopForAgent(deps, input.requestId, error);
    throw error;
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

/** Records the ambiguous match on the request, so the queue shows it before the Catch runs. */
async function stopForAgent(deps: ResolveIdentityDeps, requestId: string, error: AmbiguousSubjectError) {
  const attention = ambiguousIdentityAttention(error.storeId, error.identifier, error.matches, 'workflow');
  await deps.requests.mutate(requestId, (current) =>
    planNeedsAttention(current, attention, workflowActor, deps.clock.now().toISOString()),
  );
}
