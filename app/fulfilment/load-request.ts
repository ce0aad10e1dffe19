/**
 * LoadRequest — the workflow's first step: decides whether there is anything
 * to do, moves a verified request to in-progress, and plans the stores. On a
 * re-run (restart after a crash) it finds the request already in progress and
 * the plan already recorded, and changes nothing.
 *
 * A request whose policy needs an approval (portability, real-name deletion)
 * is refused here until it has one, whoever started the execution: every
 * start path checks too, this is the defence in depth.
 */

import { isApproved } from '../../domain/console/approval';
import { PermanentError } from '../../domain/errors';
import { ACTION_BY_TYPE, type FulfilmentAction } from '../../domain/fulfilment';
import { planTransition } from '../../domain/lifecycle';
import { getPolicy } from '../../domain/policy/registry';
import { storesInResolutionOrder } from '../../domain/stores/registry';
import type { Clock, RequestRepository } from '../ports';
import type { StoreCatalogue } from './ports';
import { type TaskInput, workflowActor } from './workflow';

export interface LoadRequestOutput {
  readonly requestId: string;
  readonly proceed: boolean;
  readonly action?: FulfilmentAction;
  /** Stores that resolve identifiers for others, in order; ResolveIdentity asks them first. */
  readonly resolverStores: readonly string[];
  /** Every planned store, resolvers included: the Map runs over these. */
  readonly stores: readonly string[];
  /** Seconds to wait between polls of a store waiting for an agent. */
  readonly agentPollSeconds: number;
  readonly maxConcurrency: number;
  /** A portability request naming a recipient: the package is pushed to it (PushPortability). */
  readonly transfer: boolean;
}

/** The request needs an approval it does not have: fulfilment must not start (permanent). */
export class FulfilmentNotApproved extends PermanentError {
  override readonly name = 'FulfilmentNotApproved' as const;
  readonly code = 'fulfilment-not-approved';
  constructor(requestId: string) {
    super(`Request ${requestId} needs an approval before fulfilment and has none`);
  }
}

const RESUMABLE = new Set(['in-progress', 'extended']);

/** How the workflow paces itself: the deployment's settings, handed to the state machine. */
export interface FulfilmentSettings {
  /** Seconds to wait between polls of a store waiting for an agent. */
  readonly agentPollSeconds: number;
  readonly maxConcurrency: number;
}

export interface LoadRequestDeps {
  readonly requests: RequestRepository;
  readonly stores: StoreCatalogue;
  readonly clock: Clock;
  readonly settings: FulfilmentSettings;
}

export async function loadRequest(deps: LoadRequestDeps, input: TaskInput): Promise<LoadRequestOutput> {
  const now = deps.clock.now();
  const { resolvers, others } = storesInResolutionOrder(deps.stores.registry());
  const stored = await deps.requests.get(input.requestId);
  // Checked before anything changes; approvals are never withdrawn, so the check cannot go stale.
  if (stored.status === 'verified' && !isApproved(stored, getPolicy(stored.policyId))) {
    throw new FulfilmentNotApproved(input.requestId);
  }
  const record = await deps.requests.mutate(input.requestId, (current) => {
    if (!current.type || ACTION_BY_TYPE[current.type] === 'agent') return undefined;
    const action = ACTION_BY_TYPE[current.type];
    if (current.status === 'verified') {
      return {
        next: {
          ...current,
          status: 'in-progress',
          fulfilment: current.fulfilment ?? {
            action,
            executionName: input.requestId,
            plannedStores: [...resolvers, ...others],
            storeResults: {},
          },
        },
        events: [
          planTransition(current.status, { to: 'in-progress', actor: workflowActor, at: now.toISOString() }),
        ],
      };
    }
    if (RESUMABLE.has(current.status) && !current.fulfilment) {
      return {
        next: {
          ...current,
          fulfilment: {
            action,
            executionName: input.requestId,
            plannedStores: [...resolvers, ...others],
            storeResults: {},
          },
        },
        events: [],
      };
    }
    return undefined;
  });
  const proceed = RESUMABLE.has(record.status) && record.fulfilment !== undefined;
  const planned = record.fulfilment?.plannedStores ?? [];
  return {
    requestId: input.requestId,
    proceed,
    ...(record.fulfilment ? { action: record.fulfilment.action } : {}),
    resolverStores: planned.filter((id) => resolvers.includes(id)),
    stores: planned,
    agentPollSeconds: deps.settings.agentPollSeconds,
    maxConcurrency: deps.settings.maxConcurrency,
    transfer: record.type === 'portability' && record.portabilityTarget !== undefined,
  };
}
