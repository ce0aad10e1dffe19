/**
 * ProcessStore — one store, one request: export the subject's records to the
 * staging bucket as JSON Lines, or erase them and re-query to prove what
 * remains. Runs inside the workflow's Map, one iteration per store.
 *
 * Idempotent: a store whose result is already recorded is not touched again
 * (no double deletion, no second export). Transient connector errors are
 * thrown by name for the state machine's Retry; permanent ones for its Catch.
 *
 * Manual stores: the first run opens the agent's task (the store becomes
 * `waiting-for-agent` on the request) and returns that status, so the ASL
 * waits and calls again. Each poll returns at once while the task is open;
 * once an agent confirmed it, the connector turns the confirmation into the
 * store's result; past the registry's timeout, ManualTaskTimedOut goes to the
 * Catch, which records the store failed.
 */
import { ManualTaskPending } from '../../connectors/manual/manual-connector';
import { PermanentError } from '../../domain/errors';
import { type ManualTaskCompletion, manualTaskTimedOut, type StoreResult } from '../../domain/fulfilment';
import type { Clock, RequestRepository, SecretsReader } from '../ports';
import type { ConnectorFactory, StagingArea } from './ports';
import { type TaskInput, verifiedIdentity, workflowActor } from './workflow';

export interface ProcessStoreDeps {
  readonly requests: RequestRepository;
  readonly connectors: ConnectorFactory;
  readonly staging: StagingArea;
  readonly secrets: SecretsReader;
  readonly clock: Clock;
}

export interface ProcessStoreInput extends TaskInput {
  readonly storeId: string;
  readonly action: 'export' | 'erase';
}

export interface ProcessStoreOutput {
  readonly requestId: string;
  readonly storeId: string;
  readonly status: StoreResult['status'];
}

/** No agent confirmed a manual store's task within the registry's timeout. Permanent: the Catch records it. */
export class ManualTaskTimedOut extends PermanentError {
  override readonly name = 'ManualTaskTimedOut' as const;
  readonly code = 'manual-task-timed-out';
  constructor(
    readonly storeId: string,
    readonly timeoutHours: number,
  ) {
    super(`${storeId}: no agent confirmed the task within ${timeoutHours} hours`);
  }
}

/** Records flow from the connector to the staging area one at a time. */
async function exportToStaging(
  deps: ProcessStoreDeps,
  input: ProcessStoreInput,
  at: string,
): Promise<StoreResult> {
  const record = await deps.requests.get(input.requestId);
  const connector = deps.connectors.connectorFor(input.storeId, input.requestId);
  const staged = await deps.staging.stage(
    input.requestId,
    input.storeId,
    connector.export(verifiedIdentity(record)),
  );
  return { status: 'exported', recordCount: staged.recordCount, stagingKey: staged.key, at };
}

/**
 * `confirmed`: what an agent recorded for a manual store. That connector's
 * erase changes nothing itself (so it reports 0 deleted, as a repeated erase
 * must); the agent's count is what was destroyed.
 */
async function erase(
  deps: ProcessStoreDeps,
  input: ProcessStoreInput,
  at: string,
  confirmed?: ManualTaskCompletion,
): Promise<StoreResult> {
  const record = await deps.requests.get(input.requestId);
  const connector = deps.connectors.connectorFor(input.storeId, input.requestId);
  const identity = verifiedIdentity(record);
  const context = { requestId: input.requestId, hmacKey: await deps.secrets.hashKey(), now: at };
  const outcome = await connector.erase(identity, context);
  const remaining = await connector.verifyErasure(identity, context);
  return {
    status: 'erased',
    deleted: confirmed?.deleted ?? outcome.deleted,
    anonymised: remaining.anonymised,
    retained: remaining.retained,
    retainedBases: remaining.retainedBases,
    remaining: remaining.remaining,
    ...(outcome.receipts ? { receipts: outcome.receipts } : {}),
    at,
  };
}

export async function processStore(
  deps: ProcessStoreDeps,
  input: ProcessStoreInput,
): Promise<ProcessStoreOutput> {
  const at = deps.clock.now().toISOString();
  const answer = (status: StoreResult['status']) => ({
    requestId: input.requestId,
    storeId: input.storeId,
    status,
  });
  const before = await deps.requests.get(input.requestId);
  const existing = before.fulfilment?.storeResults[input.storeId];
  if (existing?.status === 'waiting-for-agent') {
    if (manualTaskTimedOut(existing, at)) throw new ManualTaskTimedOut(input.storeId, existing.timeoutHours);
    if (existing.completed === undefined) return answer(existing.status);
  } else if (existing && existing.status !== 'failed') {
    return answer(existing.status);
  }
  let result: StoreResult;
  try {
    const confirmed = existing?.status === 'waiting-for-agent' ? existing.completed : undefined;
    result =
      input.action === 'export'
        ? await exportToStaging(deps, input, at)
        : await erase(deps, input, at, confirmed);
  } catch (error) {
    // The connector opened the agent's task on the request: wait for it.
    if (error instanceof ManualTaskPending) return answer('waiting-for-agent');
    throw error;
  }
  await deps.requests.mutate(input.requestId, (current) => {
    if (!current.fulfilment) return undefined;
    const stored = current.fulfilment.storeResults[input.storeId];
    if (stored && stored.status !== 'failed' && stored.status !== 'waiting-for-agent') return undefined;
    return {
      next: {
        ...current,
        fulfilment: {
          ...current.fulfilment,
          storeResults: { ...current.fulfilment.storeResults, [input.storeId]: result },
        },
      },
      events: [
        {
          type: 'store-processed',
          actor: workflowActor,
          at,
          details: { storeId: input.storeId, ...summarise(result) },
        },
      ],
    };
  });
  return answer(result.status);
}

/** Counts and bases only: the audit trail records what happened, never the data. */
function summarise(result: StoreResult): Record<string, unknown> {
  switch (result.status) {
    case 'exported':
      return { status: result.status, recordCount: result.recordCount };
    case 'erased':
      return {
        status: result.status,
        deleted: result.deleted,
        anonymised: result.anonymised,
        retained: result.retained,
        retainedBases: result.retainedBases,
        remaining: result.remaining,
        receipts: result.receipts?.length ?? 0,
      };
    default:
      return { status: result.status };
  }
}
