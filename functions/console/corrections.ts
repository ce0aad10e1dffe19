/**
 * POST /v1/console/requests/{id}/corrections — an agent applies a correction
 * (PIPL art. 46) through the connectors:
 *
 * 1. the change list is checked against the request (an open, verified
 *    correction request, not paused) and the registry's allow-lists
 *    (domain/correction.ts); a refusal is answered 4xx and recorded on the
 *    request's trail as `rejected-input`, before any store is touched;
 * 2. the subject's other keys are resolved from the verified identifiers by
 *    the resolver stores (as fulfilment does), then each store's connector
 *    applies its changes; a store that fails does not stop the others;
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
import { connectorFor } from '../../adapters/aws/connector-factory';
import { getRequest, mutateRequest } from '../../adapters/aws/request-store';
import { logger } from '../../adapters/aws/runtime';
import { hashKey } from '../../adapters/aws/secrets';
import { loadStoreRegistry, storeById, storesInResolutionOrder } from '../../adapters/config/store-registry';
import { type ConsoleEvent, consoleRouteWithBody } from '../../adapters/lambda/console-api';
import type { ConsoleCaller } from '../../adapters/lambda/console-caller';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { HttpProblem, problemFor } from '../../adapters/lambda/http-problem';
import { verifiedIdentity } from '../../adapters/lambda/workflow-task';
import { changeRequest, notifyRequester } from '../../app/console/console-actions';
import {
  type Connector,
  ConnectorPermanentError,
  ConnectorTransientError,
  CorrectionInterrupted,
  FieldNotCorrectable,
  type SubjectIdentity,
} from '../../connectors/contract';
import {
  CorrectionRequestSchema,
  planCorrection,
  recordCorrection,
  type StoreChanges,
  type StoreCorrectionResult,
} from '../../domain/correction';
import { correctionNotice } from '../../domain/correction-notice';
import { getPolicy } from '../../domain/policy/registry';
import type { RequestRecord } from '../../domain/request-record';
import { deps } from './production-deps';

type CorrectionBody = z.output<typeof CorrectionRequestSchema>;

/** Records a refused correction on the request's trail, then lets the refusal answer the caller. */
async function rejected(requestId: string, caller: ConsoleCaller, error: Error): Promise<never> {
  const field = (error as { field?: unknown }).field;
  await mutateRequest(requestId, (current) => ({
    next: current,
    events: [
      {
        type: 'rejected-input',
        actor: caller.actor,
        at: new Date().toISOString(),
        details: { action: 'correction', error: error.name, ...(typeof field === 'string' ? { field } : {}) },
      },
    ],
  })).catch((recordingError: unknown) => {
    logger.error('Rejected correction not recorded on the trail', {
      requestId,
      errorName: recordingError instanceof Error ? recordingError.name : 'UnknownError',
    });
  });
  throw error;
}

/** The verified identifiers plus those the resolver stores find from them (accountId from email). */
async function subjectIdentity(record: RequestRecord): Promise<SubjectIdentity> {
  let identity = verifiedIdentity(record);
  if (record.fulfilment?.resolvedIdentifiers !== undefined) return identity;
  for (const storeId of storesInResolutionOrder(loadStoreRegistry()).resolvers) {
    const { resolved } = await connectorFor(storeId, record.requestId).find(identity);
    // Verified identifiers win over resolved ones.
    identity = { ...resolved, ...identity };
  }
  return identity;
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
    logger.warn('Correction failed in a store', {
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

async function applyCorrection(event: ConsoleEvent<CorrectionBody>) {
  const { body, caller, requestId } = event;
  const stored = await getRequest(requestId);
  let plan: StoreChanges[];
  try {
    plan = planCorrection(stored, loadStoreRegistry(), body.changes, body.note);
  } catch (error) {
    if (problemFor(error) !== undefined) return rejected(requestId, caller, error as Error);
    throw error;
  }

  let identity: SubjectIdentity;
  try {
    identity = await subjectIdentity(stored);
  } catch (error) {
    if (error instanceof ConnectorTransientError || error instanceof ConnectorPermanentError) {
      // Nothing was changed yet: the agent can try again once the store answers.
      throw new HttpProblem(
        503,
        'store-unavailable',
        `Could not resolve the subject's identifiers: ${error.message}`,
      );
    }
    throw error;
  }

  const now = new Date().toISOString();
  const results: StoreCorrectionResult[] = [];
  // One store after another: a correction touches a few records, and the order of the trail stays the registry's.
  for (const planned of plan) {
    results.push(
      await correctStore(connectorFor(planned.storeId, requestId), identity, planned, { requestId, now }),
    );
  }

  const hmacKey = await hashKey();
  const record = await changeRequest(deps, requestId, caller, (current, _policy, context) =>
    recordCorrection(current, { results, hmacKey, ...(body.note ? { note: body.note } : {}) }, context),
  );

  const closed =
    record.status !== stored.status &&
    (record.status === 'fulfilled' || record.status === 'partially-fulfilled');
  const notice = closed
    ? await notifyRequester(
        deps,
        record,
        'correction',
        correctionNotice({
          requestId,
          status: record.status as 'fulfilled' | 'partially-fulfilled',
          stores: results.map((result) => ({
            description: storeById(result.storeId).description,
            fields: [...new Set(plan.find((p) => p.storeId === result.storeId)?.changes.map((c) => c.field))],
            ...(result.status === 'applied'
              ? {}
              : { notDone: result.status === 'pending' ? 'in progress' : 'could not be corrected yet' }),
          })),
          regime: getPolicy(record.policyId).regime,
          organisation: getPolicy(record.policyId).organisation,
        }),
        caller.actor,
      )
    : undefined;

  return jsonResponse(200, {
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
    ...(notice === undefined
      ? {}
      : { noticeSent: notice.sent, ...(notice.reason ? { noticeNotSentBecause: notice.reason } : {}) }),
  });
}

export const handler = consoleRouteWithBody({ schema: CorrectionRequestSchema }, applyCorrection);
