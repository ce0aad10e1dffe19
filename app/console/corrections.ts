/**
 * An agent applies a correction (PIPL art. 46) through the connectors:
 *
 * 1. the change list is checked against the request (an open, verified
 *    correction request, not paused) and the registry's allow-lists
 *    (domain/correction.ts); a refusal reaches the caller (4xx by its kind)
 *    and is recorded on the request's trail as `rejected-input`, before any
 *    store is touched;
 * 2. the subject's other keys are resolved from the verified identifiers by
 *    the resolver stores (the fulfilment workflow's resolution, one function),
 *    then each store's connector applies its changes; a store that fails does
 *    not stop the others;
 * 3. one `correction-applied` event records every field's before and after,
 *    masked, with the caller as actor, and the request moves to fulfilled,
 *    partially fulfilled or in progress (a processor or an agent still at
 *    work); the requester is mailed the outcome once the request is closed
 *    (or partly done).
 *
 * Repeating the call is safe: fields already holding the value are reported
 * unchanged, and pending processor or agent work is picked up, not restarted.
 */
import type { z } from 'zod';
import {
  AmbiguousSubjectError,
  type Connector,
  ConnectorPermanentError,
  ConnectorTransientError,
  CorrectionInterrupted,
  FieldNotCorrectable,
  type SubjectIdentity,
} from '../../connectors/contract';
import {
  type CorrectionRequestSchema,
  planCorrection,
  recordCorrection,
  type StoreChanges,
  type StoreCorrectionResult,
} from '../../domain/correction';
import { correctionNotice } from '../../domain/correction-notice';
import { Conflict, InvalidInput, TransientError } from '../../domain/errors';
import { getPolicy } from '../../domain/policy/registry';
import { storeById, storesInResolutionOrder } from '../../domain/stores/registry';
import type { ConnectorFactory, StoreCatalogue } from '../fulfilment/ports';
import { subjectIdentity } from '../fulfilment/resolve-identity';
import type { SecretsReader } from '../ports';
import { changeRequest, noticeFields, notifyRequester } from './console-actions';
import type { ConsoleLog, ConsoleUser, NoticeActionDeps } from './ports';

export interface CorrectionDeps extends NoticeActionDeps {
  readonly connectors: ConnectorFactory;
  readonly stores: StoreCatalogue;
  /** The HMAC key the trail masks before and after with. */
  readonly secrets: SecretsReader;
}

/** A resolver store did not answer: the subject's other keys are unknown, and nothing was changed yet. */
export class IdentityNotResolved extends TransientError {
  override readonly name = 'IdentityNotResolved' as const;
  readonly code = 'store-unavailable';
  constructor(cause: ConnectorTransientError | ConnectorPermanentError) {
    super(`Could not resolve the subject's identifiers: ${cause.message}`, { cause });
  }
}

/** A resolver store found more than one subject for the verified identifiers: nothing is corrected until an agent decides who the requester is. */
export class IdentityAmbiguous extends Conflict {
  override readonly name = 'IdentityAmbiguous' as const;
  readonly code = 'ambiguous-identity';
  constructor(cause: AmbiguousSubjectError) {
    super(`Could not resolve the subject's identifiers: ${cause.message}`, { cause });
  }
}

/** Records a refused correction on the request's trail, then lets the refusal answer the caller. */
async function rejected(
  deps: CorrectionDeps,
  requestId: string,
  caller: ConsoleUser,
  error: InvalidInput | Conflict,
): Promise<never> {
  await deps.requests
    .mutate(requestId, (current) => ({
      next: current,
      events: [
        {
          type: 'rejected-input',
          actor: caller.actor,
          at: deps.clock.now().toISOString(),
          details: {
            action: 'correction',
            error: error.name,
            ...(typeof error.field === 'string' ? { field: error.field } : {}),
          },
        },
      ],
    }))
    .catch((recordingError: unknown) => {
      deps.log.error('Rejected correction not recorded on the trail', {
        requestId,
        errorName: recordingError instanceof Error ? recordingError.name : 'UnknownError',
      });
    });
  throw error;
}

function reasonOf(error: unknown): string {
  if (error instanceof ConnectorTransientError || error instanceof ConnectorPermanentError) {
    return `${error.name}: ${error.message}`;
  }
  if (error instanceof FieldNotCorrectable) return `${error.name}: ${error.message}`;
  // Anything else may carry values in its message: only the name leaves the function.
  return error instanceof Error ? error.name : 'UnknownError';
}

async function correctStore(
  log: ConsoleLog,
  connector: Connector,
  identity: SubjectIdentity,
  planned: StoreChanges,
  context: { requestId: string; now: string },
): Promise<StoreCorrectionResult> {
  try {
    const outcome = await connector.correct(identity, planned.changes, context);
    return { storeId: planned.storeId, ...outcome };
  } catch (error) {
    if (error instanceof CorrectionInterrupted) {
      return {
        storeId: planned.storeId,
        status: 'failed',
        records: error.applied,
        reason: reasonOf(error.cause),
        retriable: error.cause.retriable,
      };
    }
    log.warn('Correction failed in a store', {
      storeId: planned.storeId,
      errorName: error instanceof Error ? error.name : 'UnknownError',
    });
    return {
      storeId: planned.storeId,
      status: 'failed',
      records: [],
      reason: reasonOf(error),
      retriable: error instanceof ConnectorTransientError,
    };
  }
}

export async function applyCorrection(
  deps: CorrectionDeps,
  caller: ConsoleUser,
  requestId: string,
  input: z.output<typeof CorrectionRequestSchema>,
) {
  const stored = await deps.requests.get(requestId);
  const registry = deps.stores.registry();
  let plan: StoreChanges[];
  try {
    plan = planCorrection(stored, registry, input.changes, input.note);
  } catch (error) {
    // The refusals planCorrection throws are the caller's to fix (4xx); anything else is ours.
    if (error instanceof InvalidInput || error instanceof Conflict) {
      return rejected(deps, requestId, caller, error);
    }
    throw error;
  }

  let identity: SubjectIdentity;
  try {
    identity = await subjectIdentity(deps.connectors, stored, storesInResolutionOrder(registry).resolvers);
  } catch (error) {
    if (error instanceof AmbiguousSubjectError)
      return rejected(deps, requestId, caller, new IdentityAmbiguous(error));
    // Nothing was changed yet: the agent can try again once the store answers.
    if (error instanceof ConnectorTransientError || error instanceof ConnectorPermanentError) {
      throw new IdentityNotResolved(error);
    }
    throw error;
  }

  const now = deps.clock.now().toISOString();
  const results: StoreCorrectionResult[] = [];
  // One store after another: a correction touches a few records, and the order of the trail stays the registry's.
  for (const planned of plan) {
    const connector = deps.connectors.connectorFor(planned.storeId, requestId);
    results.push(await correctStore(deps.log, connector, identity, planned, { requestId, now }));
  }

  const hmacKey = await deps.secrets.hashKey();
  const record = await changeRequest(deps, requestId, caller, (current, _policy, context) =>
    recordCorrection(current, { results, hmacKey, ...(input.note ? { note: input.note } : {}) }, context),
  );

  const closed =
    record.status !== stored.status &&
    (record.status === 'fulfilled' || record.status === 'partially-fulfilled');
  const policy = getPolicy(record.policyId);
  const notice = closed
    ? await notifyRequester(
        deps,
        record,
        'correction',
        correctionNotice({
          requestId,
          status: record.status as 'fulfilled' | 'partially-fulfilled',
          stores: results.map((result) => ({
            description: storeById(registry, result.storeId).description,
            fields: [...new Set(plan.find((p) => p.storeId === result.storeId)?.changes.map((c) => c.field))],
            ...(result.status === 'applied'
              ? {}
              : { notDone: result.status === 'pending' ? 'in progress' : 'could not be corrected yet' }),
          })),
          regime: policy.regime,
          organisation: policy.organisation,
        }),
        caller.actor,
      )
    : undefined;

  return {
    requestId,
    status: record.status,
    stores: results.map((result) => ({
      storeId: result.storeId,
      status: result.status,
      records: new Set(result.records.map((field) => field.recordKey)).size,
      changed: result.records.filter((field) => field.changed).length,
      unchanged: result.records.filter((field) => !field.changed).length,
      ...(result.status === 'failed' ? { reason: result.reason, retriable: result.retriable } : {}),
      ...(result.status === 'pending' ? { waitingFor: result.waitingFor, reference: result.reference } : {}),
    })),
    ...(notice === undefined ? {} : noticeFields(notice)),
  };
}
